import assert from "node:assert/strict";
import { ProfileRunner } from "./profile_runner.ts";
import type { TrackHint } from "../protocol.ts";

/** A downlink hint the test moves, as `navigator.connection` would. */
class Connection extends EventTarget {
  constructor(public downlink: number) {
    super();
  }
  set(mbps: number) {
    this.downlink = mbps;
    this.dispatchEvent(new Event("change"));
  }
}

const noFetch = () => Promise.reject(new Error("no probes in this test"));

Deno.test("profile runner: late voice steps down; the hint's fall acts at once; picks hold", () => {
  let now = 0;
  const connection = new Connection(10);
  const r = new ProfileRunner({ fetch: noFetch, now: () => now, connection });
  const changes: string[] = [];
  r.onChange = (p, mode) => changes.push(`${p} ${mode}`);
  r.start();
  try {
    assert.equal(r.profile, "high");
    r.bitrates([
      { name: "audio", bitrate: 24_000, keyframeIntervalMs: null },
      { name: "camera", bitrate: 900_000, keyframeIntervalMs: 2000 },
      { name: "whiteboard", bitrate: 100_000, keyframeIntervalMs: 2000 },
    ]);
    // Voice arrives in step with real time, then stops coming: 1.5 s late, held 1.5 s.
    for (; now <= 2000; now += 100) r.media("audio", 300, now, false);
    for (; now <= 6000; now += 500) r.tick();
    assert.equal(r.profile, "ultra-low"); // nothing arrived: only voice fits
    assert.deepEqual(changes, ["ultra-low auto"]);

    r.override("high");
    assert.deepEqual(changes.at(-1), "high manual");
    connection.set(0.05); // manual: the hint does not move it
    assert.equal(r.profile, "high");
    r.override(null);
    assert.equal(r.mode, "auto");
    connection.set(0.04);
    // Back to auto, a falling hint steps down at once: 40 kbit/s carries voice alone.
    assert.equal(r.profile, "ultra-low");
    assert.deepEqual(changes.at(-1), "ultra-low auto");
  } finally {
    r.stop();
  }
});

Deno.test("profile runner: the voice encode starts small on the lowest hint and follows a rising one", () => {
  let now = 0;
  const connection = new Connection(0.05); // Chromium's lowest step: 32 or 64 kbit/s
  const r = new ProfileRunner({ fetch: noFetch, now: () => now, connection });
  const voices: string[] = [];
  r.onVoice = (v) => voices.push(v);
  r.start();
  try {
    assert.equal(r.voice, "audio-low"); // said in the first hello
    // audio-low arriving in step with real time: no trouble, no change.
    for (; now <= 6000; now += 250) {
      r.media("audio-low", 300, now, false);
      if (now % 500 === 0) r.tick();
    }
    assert.equal(r.voice, "audio-low");
    connection.set(1.8); // the network changed: room for the full voice
    assert.equal(r.voice, "audio");
    assert.deepEqual(voices, ["audio"]);
  } finally {
    r.stop();
  }
});

/** A runner in auto on `high` with its lane open, fed media a second at a time. */
function onHigh(tracks: TrackHint[]) {
  const clock = { now: 0 };
  const r = new ProfileRunner({ fetch: noFetch, now: () => clock.now, manual: null });
  r.bitrates(tracks);
  r.override("high");
  r.override(null); // auto, on high
  r.laneChanged();
  const second = (media: (t: number) => void) => {
    for (let i = 0; i < 10; i++, clock.now += 100) media(clock.now);
    r.tick();
  };
  const voice = (t: number) => r.media("audio", 300, t, false);
  const camera = (t: number, bytes = 10_000) => r.media("camera", bytes, t, true);
  /** The link: camera media at a tenth of real time; ms until the runner left `high` (≤ 5 s). */
  const fallBehind = () => {
    const start = clock.now;
    for (let s = 0; s < 5 && r.profile === "high"; s++) {
      second((t) => (voice(t), camera(start + (t - start) / 10, 1000)));
    }
    assert.notEqual(r.profile, "high");
    return clock.now - start;
  };
  return { r, second, voice, camera, fallBehind };
}

const HIGH_TRACKS: TrackHint[] = [
  { name: "audio", bitrate: 24_000, keyframeIntervalMs: null },
  { name: "camera", bitrate: 800_000, keyframeIntervalMs: 2000 },
  { name: "whiteboard", bitrate: 100_000, keyframeIntervalMs: 2000 },
];

Deno.test("profile runner: a lane that falls behind steps down; a publisher's pause does not", () => {
  const { r, second, voice, camera, fallBehind } = onHigh(HIGH_TRACKS);
  const both = (t: number) => (voice(t), camera(t));
  for (let s = 0; s < 5; s++) second(both);
  assert.equal(r.profile, "high");
  // The publisher's camera pauses 2 s (a busy machine), then catches up: no step.
  for (let s = 0; s < 2; s++) second(voice);
  second((t) => (voice(t), camera(t - 2000, 30_000)));
  for (let s = 0; s < 3; s++) second(both);
  assert.equal(r.profile, "high");
  const took = fallBehind();
  assert.ok(took <= 5000, `stepped down after ${took} ms`);
});

Deno.test("profile runner: a publisher that stalls (stats say idleMs) does not step the viewer down; the same silence unexplained does", () => {
  const run = (explained: boolean) => {
    let now = 0;
    const r = new ProfileRunner({ fetch: noFetch, now: () => now, manual: null });
    const stats = (idleMs?: number) =>
      r.bitrates([
        { name: "audio", bitrate: 24_000, keyframeIntervalMs: null, idleMs },
        { name: "camera", bitrate: 800_000, keyframeIntervalMs: 2000, idleMs },
      ]);
    stats();
    r.override("high");
    r.override(null); // auto, on high
    r.laneChanged();
    const both = (
      t: number,
    ) => (r.media("audio", 300, t, false), r.media("camera", 10_000, t, true));
    const second = (media: ((t: number) => void) | null) => {
      for (let i = 0; i < 10; i++, now += 100) {
        media?.(now);
        if (now % 500 === 0) r.tick();
      }
    };
    for (let s = 0; s < 5; s++) second(both);
    assert.equal(r.profile, "high");
    // 5 s with nothing from the presenter. Stats come every 2 s and say idleMs from 500 ms on:
    // the latest the first can come is 2.5 s in (the step down would come at 3 s).
    const stall = now;
    for (let s = 0; s < 5; s++) {
      second(null);
      if (explained && s % 2 === 1) {
        now += 400;
        stats(now - stall);
        now -= 400;
      }
    }
    // Then the uplink's backlog and live again, 5 s late; stats say it flows again.
    second((t) => both(t - 5000));
    stats();
    for (let s = 0; s < 4; s++) second(both);
    return { profile: r.profile, voice: r.voice };
  };
  assert.deepEqual(run(true), { profile: "high", voice: "audio" });
  assert.notEqual(run(false).profile, "high", "without idleMs the silence reads as the link");
});

Deno.test("profile runner: an idle whiteboard does not excuse a camera lane that falls behind", () => {
  const idleBoard = HIGH_TRACKS.map((t) => t.name === "whiteboard" ? { ...t, idleMs: 3000 } : t);
  const { r, second, voice, camera, fallBehind } = onHigh(idleBoard);
  for (let s = 0; s < 5; s++) second((t) => (voice(t), camera(t)));
  assert.equal(r.profile, "high");
  const took = fallBehind();
  assert.ok(took <= 5000, `stepped down after ${took} ms`);
});

import assert from "node:assert/strict";
import { ProfileRunner } from "./profile_runner.ts";

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

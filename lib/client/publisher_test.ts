import assert from "node:assert/strict";
import {
  BITRATE,
  KEYFRAME_EVERY_MS,
  Publisher,
  type RecorderLike,
  VOICE_BITRATE,
} from "./publisher.ts";
import { FakeSocket } from "./_testing.ts";

class FakeRecorder implements RecorderLike {
  state = "inactive";
  ondataavailable: RecorderLike["ondataavailable"] = null;
  constructor(public options: Record<string, unknown>) {}
  start() {
    this.state = "recording";
  }
  stop() {
    this.state = "inactive";
  }
  emit(...bytes: number[]) {
    this.ondataavailable?.({ data: new Blob([new Uint8Array(bytes)]) });
  }
}

const stream = (video: boolean, audio: boolean) =>
  ({
    getTracks: () => [...(video ? ["v"] : []), ...(audio ? ["a"] : [])],
    getVideoTracks: () => (video ? ["v"] : []),
    getAudioTracks: () => (audio ? ["a"] : []),
  }) as unknown as MediaStream;

function setup() {
  const now = { value: 1000 };
  const sockets: FakeSocket[] = [];
  const recorders: FakeRecorder[] = [];
  /** Reconnect timers, fired by the test instead of waiting for them. */
  const timers: Array<() => void> = [];
  const p = new Publisher({
    schedule: (fn) => {
      timers.push(fn);
      return () => void timers.splice(timers.indexOf(fn), 1);
    },
    url: "ws://x/api/rooms/r/publish",
    room: "r",
    key: "k",
    isTypeSupported: (t) => t.startsWith("video/webm;codecs=vp8") || t === "audio/webm;codecs=opus",
    createRecorder: (_s, o) => {
      const r = new FakeRecorder(o);
      recorders.push(r);
      return r;
    },
    connect: () => {
      const ws = new FakeSocket();
      sockets.push(ws);
      return ws;
    },
    now: () => now.value,
    clock: () => 1_700_000_000_000 + now.value,
  });
  const open = (i: number) => sockets[i].onopen?.(new Event("open"));
  const fireTimers = () => timers.splice(0).forEach((fn) => fn());
  return { p, sockets, recorders, open, now, fireTimers };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

Deno.test("Publisher says hello, then track-start and the chunks of each track in order", async () => {
  const { p, sockets, recorders, open } = setup();
  p.setSource("camera", stream(true, true));
  p.setSource("whiteboard", stream(true, false));
  p.start();
  open(0);
  assert.equal(recorders.length, 2);
  assert.equal(recorders[0].options.mimeType, "video/webm;codecs=vp8,opus");
  assert.equal(recorders[0].options.videoKeyFrameIntervalDuration, 1000);
  assert.equal(recorders[1].options.mimeType, "video/webm;codecs=vp8");
  recorders[0].emit(1, 2);
  recorders[1].emit(9);
  recorders[0].emit(3);
  await tick();
  assert.deepEqual(sockets[0].sent.map((s) => s.startsWith("{") ? JSON.parse(s).type : s), [
    "hello",
    "track-start",
    "track-start",
    "chunk camera 1,2",
    "chunk whiteboard 9",
    "chunk camera 3",
  ]);
  assert.equal(JSON.parse(sockets[0].sent[0]).key, "k");
  assert.ok(p.bitrates().camera > 0);
  p.stop();
});

Deno.test("Publisher restarts its recorders after a reconnect and ignores the old ones", () => {
  const { p, sockets, recorders, open, fireTimers } = setup();
  p.setSource("camera", stream(false, true));
  p.start();
  open(0);
  sockets[0].onclose?.({ code: 1006, reason: "" } as CloseEvent);
  assert.equal(recorders[0].state, "inactive");
  assert.equal(sockets.length, 1, "the reconnect waits for its timer");
  fireTimers();
  open(1);
  assert.equal(recorders.length, 2);
  assert.deepEqual(JSON.parse(sockets[1].sent[1]), {
    type: "track-start",
    track: "camera",
    mime: "audio/webm;codecs=opus",
    clockMs: 1_700_000_001_000,
  });
  p.stop();
});

Deno.test("Publisher.setSource() replaces a live track and null stops it", () => {
  const { p, sockets, recorders, open } = setup();
  p.start();
  open(0);
  p.setSource("whiteboard", stream(true, false));
  p.setSource("whiteboard", stream(true, false));
  assert.equal(recorders[0].state, "inactive");
  assert.equal(recorders[1].state, "recording");
  p.setSource("whiteboard", null);
  assert.equal(recorders[1].state, "inactive");
  assert.deepEqual(JSON.parse(sockets[0].sent.at(-1)!), {
    type: "track-stop",
    track: "whiteboard",
  });
  p.stop();
});

Deno.test("Publisher drops chunks while the socket is congested, then restarts the track", async () => {
  const { p, sockets, recorders, open } = setup();
  p.setSource("whiteboard", stream(true, false));
  p.start();
  open(0);
  sockets[0].bufferedAmount = 10 * 1024 * 1024;
  recorders[0].emit(1);
  await tick();
  sockets[0].bufferedAmount = 0;
  recorders[0].emit(2);
  await tick();
  assert.equal(recorders.length, 2, "restarted for a fresh init segment");
  recorders[1].emit(3);
  await tick();
  assert.deepEqual(sockets[0].sent.filter((s) => s.startsWith("chunk")), ["chunk whiteboard 3"]);
  p.stop();
});

Deno.test("Publisher gives up when another studio replaced it", () => {
  const { p, sockets, open } = setup();
  const statuses: string[] = [];
  p.onStatus = (s) => statuses.push(s);
  p.start();
  open(0);
  sockets[0].onclose?.({ code: 4002, reason: "replaced" } as CloseEvent);
  assert.deepEqual(statuses, ["connecting", "live", "failed"]);
});

Deno.test("Publisher records voice alone at a speech bitrate, stamped on the page's clock", () => {
  const { p, sockets, recorders, open, now } = setup();
  p.setSource("audio", stream(false, true));
  p.start();
  open(0);
  now.value = 1033.25;
  p.setSource("camera", stream(true, false));
  assert.equal(recorders[0].options.mimeType, "audio/webm;codecs=opus");
  assert.equal(recorders[0].options.audioBitsPerSecond, VOICE_BITRATE);
  assert.ok(VOICE_BITRATE >= 24_000 && VOICE_BITRATE <= 32_000);
  assert.equal(recorders[1].options.mimeType, "video/webm;codecs=vp8");
  const starts = sockets[0].sent.filter((s) => s.includes("track-start")).map((s) => JSON.parse(s));
  assert.deepEqual(starts.map((s) => [s.track, s.clockMs]), [
    ["audio", 1_700_000_001_000],
    ["camera", 1_700_000_001_033.3],
  ]);
  p.stop();
});

Deno.test("Publisher restarts a track with sparse keyframes once stats say so", async () => {
  const { p, sockets, recorders, open, now } = setup();
  p.setSource("camera", stream(true, false));
  p.setSource("audio", stream(false, true));
  p.setSource("whiteboard", stream(true, false));
  p.start();
  open(0);
  assert.equal(recorders.length, 3);
  // Before two keyframes were seen, the age of the newest one already tells (Firefox); keyframes
  // far apart because frames are (a starved canvas) do not.
  sockets[0].receive(JSON.stringify({
    type: "stats",
    viewers: 1,
    tracks: [
      { name: "camera", bitrate: 1e6, keyframeIntervalMs: null, keyframeAgeMs: 5400 },
      { name: "audio", bitrate: 3e4, keyframeIntervalMs: 120, keyframeAgeMs: 0 },
      // A starved canvas: rare frames, each a keyframe.
      { name: "whiteboard", bitrate: 1e4, keyframeIntervalMs: 3500, keyframeAgeMs: 0 },
    ],
  }));
  now.value += 4_100;
  recorders[0].emit(1);
  recorders[1].emit(2);
  recorders[2].emit(3);
  await tick();
  assert.equal(recorders.length, 4, "only the camera restarted");
  assert.deepEqual(recorders.map((r) => r.state), [
    "inactive",
    "recording",
    "recording",
    "recording",
  ]);
  assert.equal(recorders[3].options.mimeType, "video/webm;codecs=vp8");
  recorders[3].emit(4);
  await tick();
  assert.deepEqual(sockets[0].sent.filter((s) => s.startsWith("chunk")), [
    "chunk audio 2",
    "chunk whiteboard 3",
    "chunk camera 4",
  ]);
  p.stop();
});

Deno.test("Publisher records camera-low at ~100 kbit/s and restarts it every 2 s once keyframes lag", async () => {
  const { p, sockets, recorders, open, now } = setup();
  p.setSource("camera-low", stream(true, false));
  p.setSource("camera", stream(true, false));
  p.start();
  open(0);
  assert.equal(recorders[0].options.videoBitsPerSecond, BITRATE["camera-low"]);
  assert.ok(BITRATE["camera-low"] <= 150_000);
  assert.equal(KEYFRAME_EVERY_MS["camera-low"], 2_000);
  // 2.6 s since camera-low's newest keyframe: over its promise. The camera may lag that much.
  sockets[0].receive(JSON.stringify({
    type: "stats",
    viewers: 1,
    tracks: [
      { name: "camera-low", bitrate: 1e5, keyframeIntervalMs: null, keyframeAgeMs: 2600 },
      { name: "camera", bitrate: 1e6, keyframeIntervalMs: null, keyframeAgeMs: 2600 },
    ],
  }));
  now.value += 2_100;
  recorders[0].emit(1);
  recorders[1].emit(2);
  await tick();
  assert.equal(recorders.length, 3, "only camera-low restarted");
  assert.deepEqual(recorders.map((r) => r.state), ["inactive", "recording", "recording"]);
  p.stop();
});

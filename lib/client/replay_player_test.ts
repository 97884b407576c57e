import assert from "node:assert/strict";
import { type MediaLike, ReplayPlayer } from "./replay_player.ts";
import { parseRecording } from "../replay/recording.ts";

/** A media element whose time moves with a fake clock while it plays; seeks finish on `settle()`. */
class FakeMedia implements MediaLike {
  src = "";
  #time = 0;
  playbackRate = 1;
  paused = true;
  seeking = false;
  readyState = 4;
  seeks = 0;
  /** Seconds of media in the file; playback stops there. */
  duration = Infinity;
  get ended(): boolean {
    return this.#time >= this.duration;
  }
  constructor(readonly clock: { now: number }, public speed = 1) {}
  #last = 0;
  get currentTime(): number {
    this.#advance();
    return this.#time;
  }
  set currentTime(t: number) {
    this.#advance();
    this.#time = t;
    this.seeking = true;
    this.seeks++;
  }
  #advance() {
    const now = this.clock.now;
    if (!this.paused && !this.seeking && this.readyState >= 3) {
      this.#time += ((now - this.#last) / 1000) * this.playbackRate * this.speed;
      if (this.#time >= this.duration) {
        this.#time = this.duration;
        this.paused = true;
      }
    }
    this.#last = now;
  }
  settle() {
    this.#advance();
    this.seeking = false;
  }
  play() {
    this.#advance();
    if (this.ended) this.#time = 0; // as browsers do
    this.paused = false;
    return Promise.resolve();
  }
  pause() {
    this.#advance();
    this.paused = true;
  }
}

function setup(parts: Record<string, Array<[number, number]>>) {
  const clock = { now: 0 };
  const rec = parseRecording({
    id: "r1",
    durationSeconds: 60,
    tracks: Object.entries(parts).map(([name, ps]) => ({
      name,
      parts: ps.map(([offsetMs, durationMs], i) => ({
        url: `/recordings/r1/${name}${i ? `-${i + 1}` : ""}.webm`,
        offsetMs,
        durationMs,
      })),
    })),
  })!;
  const els = new Map(Object.keys(parts).map((n) => [n, new FakeMedia(clock)]));
  const player = new ReplayPlayer(rec, els, { now: () => clock.now });
  const run = (ms: number, step = 100) => {
    for (let t = 0; t < ms; t += step) {
      clock.now += step;
      for (const e of els.values()) e.settle();
      player.tick();
    }
  };
  return { clock, els, player, run };
}

Deno.test("ReplayPlayer.seek() puts every track at the timeline point minus its part's offset", () => {
  const { els, player } = setup({ camera: [[0, 60_000]], whiteboard: [[1500, 58_000]] });
  player.seek(12_000);
  assert.equal(els.get("camera")!.currentTime, 12);
  assert.equal(els.get("whiteboard")!.currentTime, 10.5);
  assert.equal(player.status.positionMs, 12_000);
});

Deno.test("ReplayPlayer plays tracks together and pulls a drifting one back onto the clock", () => {
  const { els, player, run } = setup({ camera: [[0, 60_000]], whiteboard: [[0, 60_000]] });
  els.get("whiteboard")!.speed = 1.05; // a 5 % fast element: 50 ms drift a second
  player.play();
  run(20_000);
  const cam = els.get("camera")!.currentTime;
  const wb = els.get("whiteboard")!.currentTime;
  assert.ok(Math.abs(cam - 20) < 0.15, `camera at ${cam}`);
  assert.ok(Math.abs(wb - cam) <= 0.1, `whiteboard ${wb} within 100 ms of camera ${cam}`);
  assert.ok(els.get("whiteboard")!.seeks <= 2, "corrected by rate, not by seeking again and again");
});

Deno.test("ReplayPlayer switches a track's file at a part boundary and holds a frame in a gap", () => {
  const { els, player, run } = setup({ camera: [[0, 5000], [8000, 20_000]], audio: [[0, 60_000]] });
  const cam = els.get("camera")!;
  player.play();
  run(3000);
  assert.match(cam.src, /camera\.webm$/);
  run(3000); // 6 s: in the gap, the last frame of part 1 held
  assert.equal(cam.paused, true);
  assert.ok(Math.abs(cam.currentTime - 4.95) < 0.01, `held at ${cam.currentTime}`);
  run(3000); // 9 s: second part
  assert.match(cam.src, /camera-2\.webm$/);
  assert.equal(player.status.active.camera, true);
  assert.ok(Math.abs(cam.currentTime - 1) < 0.2, `1 s into part 2: ${cam.currentTime}`);
});

Deno.test("ReplayPlayer holds the clock while the leading track buffers", () => {
  const { els, player, run, clock } = setup({ camera: [[0, 60_000]], whiteboard: [[0, 60_000]] });
  player.play();
  run(2000);
  const cam = els.get("camera")!;
  cam.readyState = 2; // stalls
  const before = player.status.positionMs;
  for (let i = 0; i < 10; i++) {
    clock.now += 100;
    player.tick();
  }
  assert.ok(Math.abs(player.status.positionMs - before) < 1, "the clock did not run on");
  assert.equal(player.status.waiting, true);
  assert.equal(els.get("whiteboard")!.paused, true, "the others wait");
  cam.readyState = 4;
  run(1000);
  assert.equal(player.status.waiting, false);
  assert.ok(player.status.positionMs > before + 800);
});

Deno.test("ReplayPlayer speed applies to every element; the end pauses and says so", () => {
  const { els, player, run } = setup({ camera: [[0, 10_000]] });
  let ended = 0;
  player.onEnded = () => ended++;
  player.setRate(2);
  player.play();
  assert.equal(els.get("camera")!.playbackRate, 2);
  run(4000);
  assert.ok(Math.abs(player.status.positionMs - 8000) < 200, `${player.status.positionMs}`);
  run(40_000);
  assert.equal(ended, 1);
  assert.equal(player.status.playing, false);
  assert.equal(player.status.positionMs, player.status.durationMs);
  player.play(); // from the end: starts over
  assert.ok(player.status.positionMs < 500);
});

Deno.test("ReplayPlayer.seekBy() clamps to the recording", () => {
  const { player } = setup({ camera: [[0, 60_000]] });
  player.seekBy(-5000);
  assert.equal(player.status.positionMs, 0);
  player.seek(58_000);
  player.seekBy(5000);
  assert.equal(player.status.positionMs, 60_000);
});

Deno.test("ReplayPlayer leaves a file that ran out at its end and says so; reload() reopens it", () => {
  const { els, player, run } = setup({ camera: [[0, 0]], whiteboard: [[0, 0]] });
  const cam = els.get("camera")!;
  cam.duration = 10; // a growing file, read while it was 10 s long
  player.play();
  run(12_000);
  assert.equal(cam.currentTime, 10, "not started over from 0");
  assert.equal(cam.paused, true);
  assert.deepEqual(player.status.exhausted, ["camera"]);
  assert.ok(player.status.positionMs > 11_500, "the clock runs on with the other track");
  cam.duration = 30; // the file grew
  player.reload();
  run(500);
  assert.deepEqual(player.status.exhausted, []);
  assert.ok(Math.abs(cam.currentTime - player.status.positionMs / 1000) < 0.2);
  assert.equal(cam.paused, false);
});

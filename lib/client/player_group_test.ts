import assert from "node:assert/strict";
import type { ClockedView } from "./av_sync.ts";
import type { EdgeDecision } from "./live_edge.ts";
import { type SyncablePlayer, tickTogether } from "./player_group.ts";

class FakePlayer implements SyncablePlayer {
  calls: string[] = [];
  rate = 1;
  constructor(public clockMs: number | null, public end: number, public time = 0) {}
  view(): ClockedView | null {
    return this.end > 0
      ? { clockMs: this.clockMs, ranges: [{ start: 0, end: this.end }], currentTime: this.time }
      : null;
  }
  tick(liveEnd?: number): EdgeDecision {
    this.calls.push(liveEnd === undefined ? "tick" : `tick ${liveEnd.toFixed(2)}`);
    return { rate: 1, lag: this.end - this.time };
  }
  follow(clockMs: number, rate: number): EdgeDecision {
    this.calls.push(`follow ${clockMs} ${rate}`);
    return { rate, lag: this.end - this.time };
  }
}

Deno.test("tickTogether(): the voice leads at the shared live end and pictures follow it", () => {
  const audio = new FakePlayer(10_000, 5, 4.5);
  audio.rate = 1.1;
  const camera = new FakePlayer(10_300, 4.5, 4);
  const whiteboard = new FakePlayer(10_100, 4.6, 4.4);
  const players = new Map([["audio", audio], ["camera", camera], ["whiteboard", whiteboard]]);
  const lag = tickTogether(players);
  // The camera's newest media (14_800 on the clock); the whiteboard's (15_000) does not hold it.
  assert.deepEqual(audio.calls, ["tick 4.80"]);
  assert.deepEqual(camera.calls, ["follow 14500 1.1"]);
  assert.deepEqual(whiteboard.calls, ["follow 14500 1.1"]);
  assert.equal(lag, 0.5);
});

Deno.test("tickTogether(): no voice, no clocks or a stopped voice: each keeps its own edge", () => {
  const camera = new FakePlayer(10_000, 4);
  tickTogether(new Map([["camera", camera]]));
  assert.deepEqual(camera.calls, ["tick"]);

  const muxed = new FakePlayer(null, 4);
  const audio = new FakePlayer(null, 4);
  tickTogether(new Map([["audio", audio], ["camera", muxed]]));
  assert.deepEqual([audio.calls, muxed.calls], [["tick"], ["tick"]]);

  const quiet = new FakePlayer(10_000, 3); // ended 3 s in; the camera goes on
  const picture = new FakePlayer(10_000, 9, 8.7);
  tickTogether(new Map([["audio", quiet], ["camera", picture]]));
  assert.deepEqual([quiet.calls, picture.calls], [["tick"], ["tick"]]);

  // A follower whose clock drifted (its newest media 3 s behind the voice's) keeps its own edge.
  const voice = new FakePlayer(10_000, 9, 8.6);
  const drifting = new FakePlayer(10_000, 6, 5.9);
  tickTogether(new Map([["audio", voice], ["whiteboard", drifting]]));
  assert.deepEqual([voice.calls, drifting.calls], [["tick 9.00"], ["tick"]]);

  // A whiteboard clock far ahead (a restarted canvas recorder) does not stop the lip sync.
  const lead = new FakePlayer(10_000, 5, 4.6);
  const face = new FakePlayer(10_000, 5, 4.6);
  const board = new FakePlayer(70_000, 5, 4.9);
  tickTogether(new Map([["audio", lead], ["camera", face], ["whiteboard", board]]));
  assert.deepEqual([lead.calls, face.calls, board.calls], [
    ["tick 5.00"],
    ["follow 14600 1"],
    ["follow 14600 1"],
  ]);

  const stopped = new FakePlayer(10_000, 5, 4.5);
  const cam = new FakePlayer(10_000, 5, 4.5);
  tickTogether(new Map([["audio", stopped], ["camera", cam]]), (t) => t !== "audio");
  assert.deepEqual([stopped.calls, cam.calls], [["tick"], ["tick"]]);
});

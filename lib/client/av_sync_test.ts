import assert from "node:assert/strict";
import {
  type ClockedView,
  endClock,
  follow,
  fromClock,
  sharedLiveEnd,
  toClock,
} from "./av_sync.ts";

const view = (clockMs: number | null, start: number, end: number, t = start): ClockedView => ({
  clockMs,
  ranges: end > start ? [{ start, end }] : [],
  currentTime: t,
});

Deno.test("toClock()/fromClock() map media time onto the presenter's clock and back", () => {
  const v = view(1_000_000, 0, 5);
  assert.equal(toClock(v, 2.5), 1_002_500);
  assert.equal(fromClock(v, 1_002_500), 2.5);
  assert.equal(endClock(v), 1_005_000);
  assert.equal(endClock(view(1, 0, 0)), null);
});

Deno.test("sharedLiveEnd() is the newest media every synced track has, on the leader's timeline", () => {
  // Voice started 300 ms before the camera; the camera's newest media is 200 ms older.
  const voice = view(10_000, 0, 5);
  const camera = view(10_300, 0, 4.5); // ends at 14_800 on the clock
  assert.equal(sharedLiveEnd(voice, [camera]), 4.8);
  assert.equal(sharedLiveEnd(voice, []), 5);
  assert.equal(sharedLiveEnd(view(0, 0, 0), [camera]), undefined);
});

Deno.test("sharedLiveEnd() does not wait for a track that stopped sending", () => {
  const voice = view(10_000, 0, 20);
  const stale = view(10_000, 0, 12); // 8 s behind: the presenter turned it off
  const fresh = view(10_000, 0, 19.7);
  assert.equal(sharedLiveEnd(voice, [stale, fresh]), 19.7);
});

Deno.test("follow() leaves a follower in sync alone and nudges a small error", () => {
  const leaderClock = 10_000 + 3_000; // the voice is at 3 s of a stream that began at 10_000
  const inSync = follow(leaderClock, 1, view(10_500, 0, 4, 2.505));
  assert.equal(inSync?.rate, 1);
  assert.equal(inSync?.seekTo, undefined);
  assert.ok(Math.abs(inSync!.errorS - 0.005) < 1e-9);
  const behind = follow(leaderClock, 1, view(10_500, 0, 4, 2.4))!;
  assert.ok(behind.rate > 1 && behind.rate <= 1.5, JSON.stringify(behind));
  assert.equal(behind.seekTo, undefined);
  const ahead = follow(leaderClock, 1.1, view(10_500, 0, 4, 2.6))!;
  assert.ok(ahead.rate < 1.1 && ahead.rate >= 0.55, JSON.stringify(ahead));
});

Deno.test("follow() seeks a large error and gives up where it has no media", () => {
  const leaderClock = 13_000;
  const far = follow(leaderClock, 1, view(10_500, 0, 4, 1.5))!;
  assert.equal(far.seekTo, 2.5);
  assert.equal(follow(leaderClock, 1, view(10_500, 0, 2, 1.9)), null, "target not yet buffered");
  assert.equal(follow(leaderClock, 1, view(13_500, 0, 2, 0)), null, "the follower restarted");
});

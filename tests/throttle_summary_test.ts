import assert from "node:assert/strict";
import {
  describeGaps,
  describeTimeline,
  firstSample,
  gaps,
  longestGap,
  longestSkip,
  playingShare,
  profileRank,
  profileTimeline,
  sampledMs,
  type ViewerSample,
} from "./throttle_summary.ts";

/** Equal up to floating-point rounding. */
function near(actual: number, expected: number) {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
}

/**
 * Samples every 100 ms; `clock(t)` is the voice's currentTime (s) at page time t (null: no
 * audio element), played at `rate`.
 */
function sampled(
  ms: number,
  clock: (t: number) => number | null,
  profile: (t: number) => string | null = () => null,
  rate = 1,
): ViewerSample[] {
  const out: ViewerSample[] = [];
  for (let t = 0; t <= ms; t += 100) {
    const ct = clock(t);
    out.push({
      t,
      audio: ct === null
        ? null
        : { currentTime: ct, paused: false, readyState: 4, playbackRate: rate },
      profile: profile(t),
      slide: 0,
      strokes: 0,
    });
  }
  return out;
}

Deno.test("playingShare: steady playback is all of the wall time, a stall none of it", () => {
  const steady = sampled(10_000, (t) => t / 1000);
  near(playingShare(steady, { from: 3000 }), 1);
  const stalled = sampled(10_000, () => 2);
  near(playingShare(stalled, { from: 0 }), 0);
  near(playingShare([], { from: 0 }), 0);
});

Deno.test("playingShare: a 1 s stall in 10 s after the first 3 s is 90 %", () => {
  // Plays, stops from 5 s to 6 s, plays on.
  const s = sampled(13_000, (t) => (t < 5000 ? t : t < 6000 ? 5000 : t - 1000) / 1000);
  near(playingShare(s, { from: 3000 }), 0.9);
  near(longestGap(s, { from: 3000 }), 1000);
});

Deno.test("playingShare: at another rate the voice plays all the time; faster is no extra", () => {
  const slower = sampled(5000, (t) => (t * 0.9) / 1000, () => null, 0.9);
  near(playingShare(slower, { from: 0 }), 1);
  near(longestGap(slower, { from: 0 }), 0);
  const faster = sampled(5000, (t) => (t * 1.1) / 1000, () => null, 1.1);
  near(playingShare(faster, { from: 0 }), 1);
  // A clock a little slow (a loaded headless browser's) is no gap; much slower is a stall.
  const slowClock = sampled(5000, (t) => (t * 0.85) / 1000);
  near(playingShare(slowClock, { from: 0 }), 1);
  near(longestGap(slowClock, { from: 0 }), 0);
  const stalling = sampled(5000, (t) => (t * 0.45) / 1000, () => null, 0.9);
  near(playingShare(stalling, { from: 0 }), 0.5);
  near(longestGap(stalling, { from: 0 }), 2500);
});

Deno.test("playingShare: skipping ahead plays no extra time", () => {
  const fast = sampled(5000, (t) => (t * 1.5) / 1000);
  near(playingShare(fast, { from: 0 }), 1);
  // Stalls from 1 s, then jumps ahead to the live edge at 3 s: the samples see it stand still
  // from 1 s to 2.9 s (the interval with the jump counts as played, once).
  const skip = sampled(5000, (t) => (t < 1000 ? t : t < 3000 ? 1000 : t) / 1000);
  near(playingShare(skip, { from: 0 }), 0.62);
  near(longestGap(skip, { from: 0 }), 1900);
});

Deno.test("playingShare: a paused or missing element and a reset play nothing", () => {
  const paused = sampled(2000, (t) => t / 1000).map((s) => ({
    ...s,
    audio: { ...s.audio!, paused: true },
  }));
  near(playingShare(paused, { from: 0 }), 0);
  const none = sampled(2000, () => null);
  near(playingShare(none, { from: 0 }), 0);
  // Plays 1 s, the element resets to 0, plays 1 s: only the reset interval is lost.
  const reset = sampled(2000, (t) => (t <= 1000 ? t : t - 1100) / 1000);
  near(playingShare(reset, { from: 0 }), 0.95);
});

Deno.test("a span clips the intervals at its edges", () => {
  const s = sampled(10_000, (t) => (t < 4000 ? t : 4000) / 1000);
  near(playingShare(s, { from: 3050, to: 5050 }), 0.475);
  near(longestGap(s, { from: 3050, to: 5050 }), 1050);
});

Deno.test("longestGap: short hiccups apart are not one gap; the longest run counts", () => {
  // Stalls 300 ms at 1 s, then 600 ms at 3 s.
  const clock = (t: number) => {
    if (t < 1000) return t;
    if (t < 1300) return 1000;
    if (t < 3000) return t - 300;
    if (t < 3600) return 2700;
    return t - 900;
  };
  const s = sampled(6000, (t) => clock(t) / 1000);
  near(longestGap(s, { from: 0 }), 600);
  assert.deepEqual(gaps(s, { from: 0 }), [{ at: 1000, ms: 300 }, { at: 3000, ms: 600 }]);
  assert.equal(describeGaps(gaps(s, { from: 0 })), "0.3 s at 1.0 s, 0.6 s at 3.0 s");
  assert.equal(describeGaps(gaps(s, { from: 0 }), 500), "0.6 s at 3.0 s");
  assert.equal(describeGaps([]), "none of 200 ms or more");
  near(longestGap(s, { from: 0, to: 2000 }), 300);
  // A slow interval (half played) belongs to the gap; a jittery but full one does not.
  const slow = sampled(2000, (t) => (t < 1000 ? t : 1000 + (t - 1000) / 2) / 1000);
  near(longestGap(slow, { from: 0 }), 500);
});

Deno.test("profileTimeline, firstSample, profileRank", () => {
  const s = sampled(
    3000,
    (t) => t / 1000,
    (t) => (t < 500 ? null : t < 2000 ? "high" : "low"),
  );
  const timeline = profileTimeline(s);
  assert.deepEqual(timeline, [
    { t: 0, profile: null },
    { t: 500, profile: "high" },
    { t: 2000, profile: "low" },
  ]);
  assert.equal(describeTimeline(timeline), "none 0.0 s → high 0.5 s → low 2.0 s");
  assert.equal(firstSample(s, 600, (x) => profileRank(x.profile) <= 1)?.t, 2000);
  assert.equal(firstSample(s, 600, (x) => x.profile === "medium"), undefined);
  assert.deepEqual(
    ["ultra-low", "low", "medium", "high", null, "x"].map(profileRank),
    [0, 1, 2, 3, -1, -1],
  );
  assert.equal(sampledMs(s), 3000);
  assert.equal(sampledMs(s.slice(0, 1)), 0);
});

Deno.test("longestSkip: a seek forward is the voice skipped; playing, fast or stalled is none", () => {
  const seek = sampled(6000, (t) => (t < 3000 ? t : t + 2000) / 1000);
  near(longestSkip(seek, { from: 0 }), 2000);
  near(longestSkip(seek, { from: 3500 }), 0);
  near(longestSkip(sampled(6000, (t) => t / 1000), { from: 0 }), 0);
  assert.equal(
    longestSkip(sampled(6000, (t) => (t * 1.25) / 1000, () => null, 1.25), { from: 0 }),
    0,
  );
  near(longestSkip(sampled(6000, (t) => (t < 3000 ? t : 3000) / 1000), { from: 0 }), 0);
  near(longestSkip(sampled(6000, (t) => (t < 3000 ? t : t - 2500) / 1000), { from: 0 }), 0);
});

import assert from "node:assert/strict";
import { LiveEdge } from "./live_edge.ts";

const r = (start: number, end: number) => ({ start, end });

Deno.test("LiveEdge does nothing while nothing is buffered", () => {
  assert.deepEqual(new LiveEdge().update({ ranges: [], currentTime: 0, now: 0 }), {
    rate: 1,
    lag: 0,
  });
});

Deno.test("LiveEdge seeks a late joiner to the stream's own time near the live edge", () => {
  const d = new LiveEdge().update({ ranges: [r(12, 13.5)], currentTime: 0, now: 0 });
  assert.equal(d.reason, "start");
  assert.ok(Math.abs(d.seekTo! - 13.25) < 1e-9);
});

Deno.test("LiveEdge lands on the range start when the range is shorter than the target", () => {
  const d = new LiveEdge().update({ ranges: [r(12, 12.1)], currentTime: 0, now: 0 });
  assert.equal(d.seekTo, 12);
});

Deno.test("LiveEdge waits at the live edge without seeking back", () => {
  const d = new LiveEdge().update({ ranges: [r(10, 12)], currentTime: 12.02, now: 0 });
  assert.equal(d.seekTo, undefined);
  assert.equal(d.rate, 1);
});

Deno.test("LiveEdge jumps over a gap to the next range", () => {
  const d = new LiveEdge().update({ ranges: [r(10, 12), r(12.5, 14)], currentTime: 11.95, now: 0 });
  assert.equal(d.reason, "gap");
  assert.ok(Math.abs(d.seekTo! - 13.75) < 1e-9);
});

Deno.test("LiveEdge catches up on the lowest recent lag, faster when further behind, with hysteresis", () => {
  const e = new LiveEdge();
  const at = (currentTime: number, now: number) =>
    e.update({ ranges: [r(0, 10)], currentTime, now }).rate;
  assert.equal(at(9.82, 0), 1);
  // A chunk just arrived: the lag peaks, but the margin of the last second is still small.
  assert.equal(at(9.7, 250), 1);
  assert.equal(at(9.5, 1300), 1.1);
  assert.equal(at(9.8, 1500), 1.1);
  assert.equal(at(9.86, 1700), 1);
  assert.equal(at(9, 3000), 1.25);
});

Deno.test("LiveEdge starts its margin afresh after the buffer ran dry", () => {
  const e = new LiveEdge();
  const at = (currentTime: number, now: number) =>
    e.update({ ranges: [r(0, 10)], currentTime, now }).rate;
  assert.equal(at(9.9, 0), 1);
  assert.equal(at(9.99, 250), 1);
  // The stalled stream resumes with a backlog: catch up at once.
  assert.equal(at(9.4, 500), 1.1);
});

Deno.test("LiveEdge jumps to the live edge when too far behind", () => {
  const d = new LiveEdge().update({ ranges: [r(0, 10)], currentTime: 7, now: 0 });
  assert.equal(d.reason, "behind");
  assert.ok(Math.abs(d.seekTo! - 9.75) < 1e-9);
});

Deno.test("LiveEdge nudges a frozen playhead with media ahead, but not a paused one", () => {
  const e = new LiveEdge();
  const ranges = [r(0, 5)];
  assert.equal(e.update({ ranges, currentTime: 4, now: 0 }).seekTo, undefined);
  assert.equal(e.update({ ranges, currentTime: 4, now: 300 }).seekTo, undefined);
  assert.equal(e.update({ ranges, currentTime: 4, now: 700 }).reason, "stall");

  const p = new LiveEdge();
  p.update({ ranges, currentTime: 4, paused: true, now: 0 });
  assert.equal(p.update({ ranges, currentTime: 4, paused: true, now: 5000 }).seekTo, undefined);
});

Deno.test("LiveEdge lets a seek settle before judging again", () => {
  const e = new LiveEdge();
  assert.equal(e.update({ ranges: [r(12, 14)], currentTime: 0, now: 0 }).reason, "start");
  assert.equal(e.update({ ranges: [r(12, 14)], currentTime: 0, now: 100 }).seekTo, undefined);
});

Deno.test("LiveEdge trims played media once too much is behind the playhead", () => {
  const e = new LiveEdge();
  assert.equal(e.update({ ranges: [r(0, 8)], currentTime: 7.7, now: 0 }).removeUpTo, undefined);
  assert.equal(e.update({ ranges: [r(0, 9.3)], currentTime: 9, now: 100 }).removeUpTo, 6);
});

Deno.test("LiveEdge aims at a shared live end older than its own and holds back past it", () => {
  const edge = new LiveEdge({ targetS: 0.2, landingS: 0.35 });
  // Own media up to 10 s, but the picture only has up to 9 s: land 0.35 s before 9.
  const first = edge.update({
    ranges: [{ start: 0, end: 10 }],
    currentTime: 0,
    now: 0,
    liveEnd: 9,
  });
  assert.equal(first.seekTo, 8.65);
  assert.ok(Math.abs(first.lag - 0.35) < 1e-9);
  // Ahead of the shared end (the picture is late): play a little slower.
  const ahead = edge.update({
    ranges: [{ start: 0, end: 10 }],
    currentTime: 9.3,
    now: 1000,
    liveEnd: 9.2,
  });
  assert.equal(ahead.rate, 0.95);
  assert.equal(ahead.seekTo, undefined, "never seeks back into what was played");
});

/**
 * Media arriving in real time from `lag` s ahead of the playhead, 250 ms steps until `untilMs`:
 * the rates decided and the lag at the end.
 */
function playRealTime(e: LiveEdge, lag: number, fromMs: number, untilMs: number) {
  let t = 10 - lag, end = 10;
  const rates: number[] = [];
  for (let now = fromMs; now <= untilMs; now += 250) {
    const d = e.update({ ranges: [r(0, end)], currentTime: t, now });
    rates.push(d.rate);
    t += 0.25 * d.rate;
    end += 0.25;
  }
  return { rates, lag: end - t };
}

const FILLING = { targetS: 1, landingS: 1.3, fastAboveS: 2.5, fillRate: 0.9 };

Deno.test("LiveEdge with a fill rate plays slower until a deep target is reached, then at 1", () => {
  // The playhead starts 0.2 s behind the newest.
  const { rates, lag } = playRealTime(new LiveEdge(FILLING), 0.2, 500, 20_000);
  assert.equal(rates[0], 0.9);
  // 0.9 s more buffer at 0.1 s per second of slower play: done within ~10 s, and it stays.
  assert.ok(lag >= 0.85 && lag <= 1.2, `lag ${lag}`);
  assert.deepEqual(rates.slice(-10), Array(10).fill(1));
  // Off by default: the same start plays at 1.
  assert.equal(new LiveEdge().update({ ranges: [r(0, 10)], currentTime: 9.8, now: 0 }).rate, 1);
});

Deno.test("LiveEdge told to fill plays slower at once, from a buffer over half the target, until near it", () => {
  // Just stepped down: 0.6 s buffered, over half the new target, under it.
  const plain = new LiveEdge(FILLING);
  assert.equal(plain.update({ ranges: [r(0, 10)], currentTime: 9.4, now: 0 }).rate, 1);
  const e = new LiveEdge(FILLING);
  e.fill();
  const { rates, lag } = playRealTime(e, 0.6, 0, 10_000);
  assert.equal(rates[0], 0.9);
  assert.ok(lag >= 0.85 && lag <= 1.1, `lag ${lag}`);
  assert.deepEqual(rates.slice(-10), Array(10).fill(1));
  assert.equal(e.targetS, 1);
});

Deno.test("LiveEdge with a pre-roll holds at the start until that much is buffered, not after playing() nor mid-stream", () => {
  const e = new LiveEdge({ targetS: 1, landingS: 1.3, prerollS: 1 });
  // Joined with 0.1 s buffered; media arrives in real time while held.
  let end = 10.1;
  const t = 10;
  let now = 0;
  let d = e.update({ ranges: [r(10, end)], currentTime: t, paused: true, now });
  assert.equal(d.hold, true);
  while (d.hold) {
    now += 100;
    end += 0.1;
    d = e.update({ ranges: [r(10, end)], currentTime: t, paused: true, now });
    assert.ok(now < 2000, "the hold ends once the pre-roll is buffered");
  }
  assert.ok(end - t >= 1 && end - t < 1.1, `released at ${end - t} s buffered`);
  assert.equal(d.rate, 1);
  // Playing on, the buffer runs dry (the link stalled): no new hold, which would lengthen the gap.
  d = e.update({ ranges: [r(10, 12)], currentTime: 11, now: now += 1000 });
  assert.equal(d.hold, undefined);
  d = e.update({ ranges: [r(10, 12)], currentTime: 11.99, now: now += 1000 });
  assert.equal(d.hold, undefined);
  // A controller told the element already plays does not hold at its start.
  const tuned = new LiveEdge({ targetS: 1, prerollS: 1 });
  tuned.playing();
  assert.equal(tuned.update({ ranges: [r(0, 10)], currentTime: 9.8, now: 0 }).hold, undefined);
  // Off by default.
  assert.equal(
    new LiveEdge().update({ ranges: [r(0, 10)], currentTime: 9.9, now: 0 }).hold,
    undefined,
  );
});

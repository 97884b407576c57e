import assert from "node:assert/strict";
import { ClockDrift } from "./clock_drift.ts";

const CLOCK = 1_700_000_000_000;

/** Feeds 100 ms chunks for `seconds`: media advances `rate` ms per ms; latency 60 ms + jitter. */
function feed(drift: ClockDrift, seconds: number, rate: number, jitter: (i: number) => number) {
  let changes = 0;
  for (let i = 1; i <= seconds * 10; i++) {
    const media = i * 100 * rate;
    if (drift.note(CLOCK + i * 100 + 60 + jitter(i), CLOCK, media)) changes++;
  }
  return changes;
}

Deno.test("a sound track that keeps to the clock gets no shift, whatever the jitter", () => {
  const drift = new ClockDrift();
  const changes = feed(drift, 120, 1, (i) => (i * 37) % 41);
  assert.equal(drift.shiftMs, 0);
  assert.equal(changes, 0);
});

Deno.test("samples lost are the shift, once a window was seen", () => {
  const drift = new ClockDrift({ windowMs: 10_000, stepMs: 10 });
  // 3.7 % of the samples missing, as measured from a loaded Chromium.
  feed(drift, 60, 0.963, (i) => (i * 37) % 41);
  // Lost by the window's start (50 s of the run): 1850 ms, give or take the jitter (≤ 40 ms).
  assert.ok(Math.abs(drift.shiftMs - 1850) <= 45, `shift ${drift.shiftMs}`);
});

Deno.test("a latency burst shorter than the window is not taken for lost samples", () => {
  const drift = new ClockDrift();
  // 20 s of a busy page (handlers 300 ms late), inside the default 30 s window.
  feed(drift, 90, 1, (i) => (i >= 300 && i < 500 ? 300 : 0));
  assert.equal(drift.shiftMs, 0);
});

Deno.test("no shift before a whole window was seen", () => {
  const drift = new ClockDrift({ windowMs: 10_000 });
  // A slow start: the first chunks came late, then steady.
  feed(drift, 9, 0.5, () => 0);
  assert.equal(drift.shiftMs, 0);
});

Deno.test("a shift is reported in steps, not for every ms", () => {
  const drift = new ClockDrift({ windowMs: 1_000, stepMs: 20 });
  const changes = feed(drift, 20, 0.99, () => 0);
  // 1 % of 19 s is 190 ms: about 190 / 20 reports.
  assert.ok(changes >= 8 && changes <= 10, `${changes} changes`);
  assert.ok(Math.abs(drift.shiftMs - 190) <= 20, `shift ${drift.shiftMs}`);
});

Deno.test("a chunk without a clock is ignored", () => {
  const drift = new ClockDrift();
  assert.equal(drift.note(NaN, CLOCK, 100), false);
  assert.equal(drift.shiftMs, 0);
});

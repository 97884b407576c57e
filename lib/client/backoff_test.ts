import assert from "node:assert/strict";
import { Backoff } from "./backoff.ts";

Deno.test("Backoff.next() doubles from initialMs up to maxMs", () => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0, now: () => 0 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => b.next()), [100, 200, 400, 800, 1000, 1000]);
  assert.equal(b.attempt, 6);
});

Deno.test("Backoff.next() applies jitter below the nominal delay", () => {
  const b = new Backoff({ initialMs: 1000, jitter: 0.5, random: () => 1 });
  assert.equal(b.next(), 500);
  const c = new Backoff({ initialMs: 1000, jitter: 0.5, random: () => 0 });
  assert.equal(c.next(), 1000);
});

Deno.test("Backoff starts over after a connection stayed up for healthyAfterMs", () => {
  let t = 0;
  const b = new Backoff({ initialMs: 100, jitter: 0, healthyAfterMs: 5000, now: () => t });
  b.next();
  b.next();
  b.connected();
  t = 1000;
  assert.equal(b.next(), 400, "a short-lived connection keeps growing the delay");
  b.connected();
  t = 7000;
  assert.equal(b.next(), 100, "a healthy connection resets the delay");
});

Deno.test("Backoff.reset() forgets failures", () => {
  const b = new Backoff({ initialMs: 100, jitter: 0 });
  b.next();
  b.next();
  b.reset();
  assert.equal(b.next(), 100);
});

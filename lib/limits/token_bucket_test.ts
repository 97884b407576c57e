import { deepEqual, equal } from "node:assert/strict";
import { TokenBucket } from "./token_bucket.ts";

Deno.test("TokenBucket lets a burst of 5 through, then refuses with the wait", () => {
  let now = 0;
  const bucket = new TokenBucket({ now: () => now });
  for (let i = 0; i < 5; i++) equal(bucket.take().ok, true);
  deepEqual(bucket.take(), { ok: false, retryAfterMs: 1000 });
  now = 400;
  deepEqual(bucket.take(), { ok: false, retryAfterMs: 600 });
});

Deno.test("TokenBucket refills one token per windowMs / capacity", () => {
  let now = 0;
  const bucket = new TokenBucket({ capacity: 5, windowMs: 5000, now: () => now });
  for (let i = 0; i < 5; i++) bucket.take();
  now = 1000;
  equal(bucket.take().ok, true);
  equal(bucket.take().ok, false);
  now = 60_000;
  for (let i = 0; i < 5; i++) equal(bucket.take().ok, true, "refills up to the burst size");
  equal(bucket.take().ok, false);
});

Deno.test("TokenBucket holds a steady sender to 5 messages per 5 s", () => {
  let now = 0;
  const bucket = new TokenBucket({ now: () => now });
  let passed = 0;
  for (now = 0; now < 60_000; now += 100) if (bucket.take().ok) passed++;
  // 5 at once, then one every second.
  equal(passed, 5 + 59);
});

import assert from "node:assert/strict";
import { ClientBuckets } from "./client_buckets.ts";
import { RateLimitError } from "../errors.ts";

Deno.test("ClientBuckets: 10 per minute per client, then 429 with the wait; others unaffected", () => {
  let now = 0;
  const rooms = new ClientBuckets({
    what: "new rooms",
    capacity: 10,
    windowMs: 60_000,
    now: () => now,
  });
  for (let i = 0; i < 10; i++) rooms.require("a");
  let caught: unknown;
  try {
    rooms.require("a");
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof RateLimitError);
  assert.equal(caught.status, 429);
  assert.equal(caught.retryAfterSeconds, 6);
  assert.equal(
    caught.message,
    "too many new rooms from your address: at most 10 per 60 s; try again in 6 s",
  );
  rooms.require("b");
  now = 6_000;
  rooms.require("a");
  assert.equal(rooms.take("a").ok, false);
});

Deno.test("ClientBuckets forgets refilled clients and caps how many it tracks", () => {
  let now = 0;
  const b = new ClientBuckets({
    what: "x",
    capacity: 2,
    windowMs: 1000,
    now: () => now,
    maxClients: 3,
  });
  for (const c of ["a", "b", "c"]) b.take(c);
  assert.equal(b.size, 3);
  // Over the cap: new clients share the overflow bucket, the map does not grow.
  assert.equal(b.take("d").ok, true);
  assert.equal(b.take("e").ok, true);
  assert.equal(b.take("f").ok, false);
  assert.equal(b.size, 3);
  now = 1000;
  b.take("g");
  assert.equal(b.size, 1);
});

Deno.test("ClientBuckets lets exempt clients through without tracking them", () => {
  const b = new ClientBuckets({
    what: "x",
    capacity: 1,
    windowMs: 1000,
    now: () => 0,
    exempt: (c) => c === "local",
  });
  for (let i = 0; i < 5; i++) b.require("local");
  assert.equal(b.size, 0);
  b.require("remote");
  assert.throws(() => b.require("remote"), RateLimitError);
});

import assert from "node:assert/strict";
import { PendingSockets } from "./pending_sockets.ts";
import { RateLimitError } from "../errors.ts";

Deno.test("PendingSockets caps sockets before hello per client and in all; release is idempotent", () => {
  const pending = new PendingSockets({ perClient: 2, total: 3 });
  const a1 = pending.acquire("a");
  pending.acquire("a");
  assert.throws(() => pending.acquire("a"), (err) => {
    assert.ok(err instanceof RateLimitError);
    assert.equal(err.retryAfterSeconds, 5);
    assert.match(
      err.message,
      /too many connections from your address that have not said hello \(2\)/,
    );
    return true;
  });
  pending.acquire("b");
  assert.throws(
    () => pending.acquire("c"),
    /the server has too many connections that have not said hello/,
  );
  a1.release();
  a1.release();
  assert.equal(pending.held("a"), 1);
  assert.equal(pending.total, 2);
  pending.acquire("c");
  assert.equal(pending.total, 3);
});

Deno.test("PendingSockets: exempt clients skip the per-client cap but count in the total", () => {
  const pending = new PendingSockets({ perClient: 1, total: 3, exempt: (c) => c === "local" });
  pending.acquire("local");
  pending.acquire("local");
  pending.acquire("local");
  assert.throws(() => pending.acquire("local"), /the server has too many connections/);
});

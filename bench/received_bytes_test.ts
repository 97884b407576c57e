import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { frameBytes, totals } from "./received_bytes.ts";

Deno.test("frameBytes: binary payloads decode from base64, text counts as UTF-8, plus the header", () => {
  for (const n of [0, 1, 2, 3, 125, 126, 65535, 65536]) {
    const header = n <= 125 ? 2 : n <= 65535 ? 4 : 10;
    assert.equal(frameBytes(2, Buffer.alloc(n).toString("base64")), n + header, `${n} bytes`);
  }
  assert.equal(frameBytes(1, '{"type":"ink"}'), 14 + 2);
  assert.equal(frameBytes(1, "é→"), 5 + 2);
});

Deno.test("totals: start-up apart, the rest scaled to a minute by kind", () => {
  const t = totals(
    [
      { at: 100, kind: "http", bytes: 3000 },
      { at: 4999, kind: "ws", bytes: 500 },
      { at: 5000, kind: "ws", bytes: 1000 },
      { at: 20_000, kind: "http", bytes: 2000 },
      { at: 35_000, kind: "ws", bytes: 9999 },
    ],
    5000,
    35_000,
  );
  assert.deepEqual(t, { startup: 3500, perMinute: 6000, wsPerMinute: 2000, httpPerMinute: 4000 });
});

import assert from "node:assert/strict";
import { formatBitrate, RateMeter } from "./rate_meter.ts";

Deno.test("RateMeter.bps() averages over the window and forgets older samples", () => {
  const m = new RateMeter(1000);
  m.add(1000, 0);
  m.add(1000, 500);
  assert.equal(m.bps(900), 16_000);
  assert.equal(m.bps(1200), 8_000);
  assert.equal(m.bps(5000), 0);
  assert.equal(m.total, 2000);
});

Deno.test("formatBitrate() reads well on a status line", () => {
  assert.equal(formatBitrate(1_234_000), "1.2 Mbit/s");
  assert.equal(formatBitrate(350_400), "350 kbit/s");
  assert.equal(formatBitrate(0), "0 kbit/s");
});

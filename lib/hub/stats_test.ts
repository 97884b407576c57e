import { equal } from "node:assert/strict";
import { KeyframeMeter, RateMeter } from "./stats.ts";

Deno.test("RateMeter.bitsPerSecond() averages over the last window only", () => {
  const meter = new RateMeter(5000);
  for (let t = 0; t < 10_000; t += 100) meter.record(t < 5000 ? 100 : 1000, t);
  equal(meter.bitsPerSecond(9_999), 80_000); // samples 5000..9900
  equal(meter.bitsPerSecond(20_000), 0);
});

Deno.test("RateMeter.bitsPerSecond() divides a young stream by its age", () => {
  const meter = new RateMeter(5000);
  meter.record(1000, 0);
  meter.record(1000, 1000);
  equal(meter.bitsPerSecond(2000), 8000);
});

Deno.test("KeyframeMeter averages recent spacing and restarts when time goes back", () => {
  const meter = new KeyframeMeter(4);
  equal(meter.intervalMs, null);
  for (const t of [0, 1000, 3000, 5000, 7000]) meter.record(t);
  equal(meter.intervalMs, 2000); // only the last 4: 1000..7000
  meter.record(0);
  equal(meter.intervalMs, null);
});

Deno.test("KeyframeMeter.ageMs is the media time since the newest keyframe", () => {
  const meter = new KeyframeMeter();
  meter.seen(100);
  equal(meter.ageMs, null);
  meter.record(0);
  equal(meter.ageMs, 0);
  for (const t of [1000, 2000, 3500]) meter.seen(t);
  equal(meter.ageMs, 3500, "a sparse-keyframe recorder shows before its second keyframe");
  meter.record(4000);
  equal(meter.ageMs, 0);
  meter.reset();
  equal(meter.ageMs, null);
});

import assert from "node:assert/strict";
import { ArrivalMeter } from "./arrival_meter.ts";

Deno.test("arrival meter: a stream that keeps up is on time, whatever its fixed delay", () => {
  const m = new ArrivalMeter();
  assert.equal(m.lateMs(0), null);
  for (let t = 0; t <= 5000; t += 100) m.add(t, t + 300 + (t % 200 === 0 ? 40 : 0));
  assert.ok(m.lateMs(5350)! <= 60, `${m.lateMs(5350)}`);
});

Deno.test("arrival meter: media arriving slower than real time, or not at all, grows late", () => {
  const m = new ArrivalMeter();
  for (let t = 0; t <= 2000; t += 100) m.add(t, t);
  // From now on a second of wall time brings 0.25 s of media.
  for (let w = 2100; w <= 6000; w += 100) m.add(2000 + (w - 2000) / 4, w);
  assert.ok(Math.abs(m.lateMs(6000)! - 3000) < 1, `${m.lateMs(6000)}`);
  // Nothing more arrives: lateness keeps growing with the wall clock.
  assert.ok(Math.abs(m.lateMs(7000)! - 4000) < 1);
});

Deno.test("arrival meter: a restarted stream and slow drift start afresh", () => {
  const m = new ArrivalMeter({ windowMs: 2000 });
  for (let t = 0; t <= 3000; t += 100) m.add(t, t);
  m.add(0, 3100); // media time restarts: a new recorder
  assert.equal(m.lateMs(3100), 0);
  for (let t = 0; t <= 10_000; t += 100) m.add(t * 0.9, 20_000 + t); // a clock 10 % slow
  assert.ok(m.lateMs(30_000)! <= 210, `${m.lateMs(30_000)}`);
});

import { deepEqual, equal } from "node:assert/strict";
import { Packet } from "./packet.ts";
import { Ring } from "./ring.ts";
import { mediaSegment } from "./_testing.ts";

const packet = (t: number, options: { keyframe?: boolean; size?: number } = {}) =>
  new Packet("camera", mediaSegment(t, options), t);
const times = (ring: Ring) => ring.toArray().map((p) => p.arrivedAt);

Deno.test("Ring.push() drops the oldest segment when the window is full", () => {
  const ring = new Ring({ windowMs: 3000 });
  ring.push(packet(0, { keyframe: true }), 0);
  ring.push(packet(1000), 1000);
  ring.push(packet(2000, { keyframe: true }), 2000);
  ring.push(packet(3000), 3000);
  deepEqual(times(ring), [0, 1000, 2000, 3000]);
  ring.push(packet(3500), 3500);
  deepEqual(times(ring), [1000, 2000, 3000, 3500]);
});

Deno.test("Ring.push() drops the oldest segments when over the byte cap", () => {
  const ring = new Ring({ maxBytes: 350 });
  ring.push(packet(0, { keyframe: true }), 0);
  ring.push(packet(1, { keyframe: true }), 1);
  ring.push(packet(2, { keyframe: true }), 2);
  equal(ring.bytes, 300);
  ring.push(packet(3, { keyframe: true }), 3);
  deepEqual(times(ring), [1, 2, 3]);
  equal(ring.bytes, 300);
});

Deno.test("Ring.push() keeps the newest keyframe and its successors however old", () => {
  const ring = new Ring({ windowMs: 1000 });
  ring.push(packet(0), 0);
  ring.push(packet(100, { keyframe: true }), 100);
  for (let t = 500; t <= 5000; t += 500) ring.push(packet(t), t);
  equal(ring.toArray()[0].arrivedAt, 100);
  equal(ring.newestKeyframe?.arrivedAt, 100);
  ring.push(packet(5500, { keyframe: true }), 5500);
  deepEqual(times(ring), [4500, 5000, 5500]);
});

Deno.test("Ring.push() gives up the join point when one keyframe run exceeds the byte cap", () => {
  const ring = new Ring({ maxBytes: 250 });
  ring.push(packet(0, { keyframe: true }), 0);
  ring.push(packet(1), 1);
  ring.push(packet(2), 2);
  deepEqual(times(ring), [1, 2]);
  equal(ring.newestKeyframe, null);
  deepEqual(ring.fromNewestKeyframe(), []);
  ring.push(packet(3, { keyframe: true }), 3);
  deepEqual(ring.fromNewestKeyframe().map((p) => p.arrivedAt), [3]);
});

Deno.test("Ring.fromNewestKeyframe() starts at the newest keyframe", () => {
  const ring = new Ring();
  ring.push(packet(0, { keyframe: true }), 0);
  ring.push(packet(1), 1);
  ring.push(packet(2, { keyframe: true }), 2);
  ring.push(packet(3), 3);
  deepEqual(ring.fromNewestKeyframe().map((p) => p.arrivedAt), [2, 3]);
  equal(ring.spanMs, 3);
});

Deno.test("Ring.clear() forgets media, bytes and the join point", () => {
  const ring = new Ring();
  ring.push(packet(0, { keyframe: true }), 0);
  ring.clear();
  equal(ring.length, 0);
  equal(ring.bytes, 0);
  equal(ring.newestKeyframe, null);
});

Deno.test("Ring.fromKeyframeBack() starts at the newest keyframe that much media time back", () => {
  const ring = new Ring();
  for (let t = 0; t <= 2000; t += 250) ring.push(packet(t, { keyframe: t % 500 === 0 }), t);
  deepEqual(ring.fromKeyframeBack(1000).map((p) => p.arrivedAt), [1000, 1250, 1500, 1750, 2000]);
  deepEqual(ring.fromKeyframeBack(0).map((p) => p.arrivedAt), [2000]);
  // Not that much held: from the oldest keyframe.
  deepEqual(ring.fromKeyframeBack(5000).map((p) => p.arrivedAt)[0], 0);
  deepEqual(new Ring().fromKeyframeBack(1000), []);
});

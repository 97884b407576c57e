import assert from "node:assert/strict";
import { coalesce } from "./coalesce.ts";
import type { InitSegment, MediaSegment, Segment } from "./segment.ts";

const piece = (start: boolean, keyframe: boolean, t: number, ...bytes: number[]): MediaSegment => ({
  type: "media",
  start,
  keyframe,
  timestampMs: t,
  bytes: new Uint8Array(bytes),
});
const init: InitSegment = {
  type: "init",
  container: "webm",
  mime: 'audio/webm; codecs="opus"',
  tracks: [],
  bytes: new Uint8Array([9]),
};

Deno.test("coalesce() merges continuations into the piece before them", () => {
  const out = coalesce([
    piece(true, true, 10, 1, 2),
    piece(false, false, 20, 3),
    piece(false, false, 30, 4),
  ]);
  assert.deepStrictEqual(out, [piece(true, true, 10, 1, 2, 3, 4)]);
});

Deno.test("coalesce() never puts a start piece after the front of a merged segment", () => {
  const input: Segment[] = [
    piece(false, false, 0, 1),
    piece(false, false, 5, 2),
    piece(true, false, 10, 3),
    piece(true, true, 20, 4),
    piece(false, false, 25, 5),
    init,
    piece(false, false, 30, 6),
  ];
  assert.deepStrictEqual(coalesce(input), [
    piece(false, false, 0, 1, 2),
    piece(true, false, 10, 3),
    piece(true, true, 20, 4, 5),
    init,
    piece(false, false, 30, 6),
  ]);
});

Deno.test("coalesce() passes lone pieces and init segments through untouched", () => {
  const lone = piece(true, true, 0, 1);
  const out = coalesce([init, init, lone]);
  assert.equal(out.length, 3);
  assert.equal(out[0], init);
  assert.equal(out[1], init);
  assert.equal(out[2], lone);
  assert.deepStrictEqual(coalesce([]), []);
});

Deno.test("coalesce() merges back-to-back views of one buffer without copying", () => {
  const buffer = new Uint8Array([1, 2, 3, 4, 5, 6]);
  const view = (start: boolean, a: number, b: number): MediaSegment => ({
    type: "media",
    start,
    keyframe: start,
    timestampMs: a,
    bytes: buffer.subarray(a, b),
  });
  const [merged] = coalesce([view(true, 1, 3), view(false, 3, 4), view(false, 4, 6)]);
  assert.deepStrictEqual(merged.bytes, new Uint8Array([2, 3, 4, 5, 6]));
  assert.equal(merged.bytes.buffer, buffer.buffer);
  // A gap between views forces a copy.
  const [copied] = coalesce([view(true, 0, 2), view(false, 3, 4)]);
  assert.deepStrictEqual(copied.bytes, new Uint8Array([1, 2, 4]));
  assert.notEqual(copied.bytes.buffer, buffer.buffer);
});

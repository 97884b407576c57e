import assert from "node:assert/strict";
import {
  decodePoints,
  encodePoints,
  InkCodecError,
  joinPoints,
  PRESSURE_STEPS,
} from "./ink_codec.ts";
import { typicalStroke } from "./_testing.ts";

Deno.test("decodePoints(encodePoints()) gives the points to half a pixel and 1/63 pressure", () => {
  const points = typicalStroke();
  const back = decodePoints(encodePoints(points));
  assert.equal(back.length, points.length);
  points.forEach((p, i) => {
    assert.ok(Math.abs(back[i].x - p.x) <= 0.25, `x of point ${i}`);
    assert.ok(Math.abs(back[i].y - p.y) <= 0.25, `y of point ${i}`);
    assert.ok(Math.abs(back[i].p - p.p) <= 0.5 / PRESSURE_STEPS, `p of point ${i}`);
  });
});

Deno.test("a typical one-second stroke encodes in well under 300 characters", () => {
  const text = encodePoints(typicalStroke(1));
  assert.match(text, /^[A-Za-z0-9_-]+$/);
  // 60 points: 3 bytes each at most but the first → 4 base64 characters per point.
  assert.ok(text.length <= 250, `${text.length} characters`);
});

Deno.test("encodePoints() clamps points far off the board and pressure outside 0…1", () => {
  const back = decodePoints(encodePoints([{ x: 1e9, y: -1e9, p: 7 }, { x: NaN, y: 0, p: -1 }]));
  assert.deepEqual(back, [{ x: 8192, y: -8192, p: 1 }, { x: 0, y: 0, p: 0 }]);
});

Deno.test("joinPoints() of chunks equals one encoding of all their points", () => {
  const points = typicalStroke(2);
  const chunks = [points.slice(0, 7), points.slice(7, 50), points.slice(50)].map(encodePoints);
  assert.deepEqual(decodePoints(joinPoints(chunks)), decodePoints(encodePoints(points)));
  assert.equal(joinPoints(chunks), encodePoints(points));
});

Deno.test("decodePoints() rejects bad characters, cut numbers, half points and too many points", () => {
  assert.throws(() => decodePoints("ab+c"), InkCodecError);
  assert.throws(() => decodePoints("A"), InkCodecError);
  // One byte with the continuation bit set: a number cut short.
  assert.throws(() => decodePoints("gA"), /middle of a number/);
  // dx with the "pressure changed" bit and dy, but no dp: the point is incomplete.
  assert.throws(() => decodePoints(b64(1, 0)), /middle of a number/);
  assert.throws(() => decodePoints(encodePoints(typicalStroke(1)), 10), /more than 10/);
  assert.deepEqual(decodePoints(""), []);
});

Deno.test("decodePoints() rejects pressure above 1", () => {
  // dx 0 with the pressure bit, dy 0, dp +64: zigzag 128 is the varint 0x80 0x01.
  assert.throws(() => decodePoints(b64(1, 0, 0x80, 0x01)), /pressure/);
});

Deno.test("a point whose pressure did not change costs two bytes", () => {
  const mouse = typicalStroke(1).map((p) => ({ ...p, p: 0.5 }));
  const bytes = (encodePoints(mouse).length * 3) / 4;
  // The first point carries x, y (two bytes each) and the pressure.
  assert.ok(bytes <= 2 * mouse.length + 4, `${bytes} bytes for ${mouse.length} points`);
});

function b64(...bytes: number[]): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("=", "");
}

import assert from "node:assert/strict";
import { block, el, str, uint } from "./_ebml_builder.ts";
import { concat } from "./_testing.ts";
import { BlockInfo, codecString, readBlock, readTracks } from "./matroska.ts";
import { MediaError } from "./segment.ts";

const XIPH = 0x02, FIXED = 0x04, EBML = 0x06;

function read(body: Uint8Array): BlockInfo {
  const info = new BlockInfo();
  readBlock(body, 0, body.length, 0, info);
  return info;
}

Deno.test("readBlock() reads track, signed relative time and keyframe flag", () => {
  assert.deepStrictEqual({ ...read(block(3, 0x0102, 0x80)) }, {
    track: 3,
    relativeTime: 258,
    keyframe: true,
  });
  assert.equal(read(block(1, 0xfff6, 0)).relativeTime, -10);
  assert.equal(read(block(1, 0, 0)).keyframe, false);
  assert.throws(() => read(new Uint8Array([0x81, 0])), MediaError);
});

Deno.test("readBlock() accepts well-formed Xiph, EBML and fixed-size lacing", () => {
  // 3 frames of 300, 5 and 10 bytes.
  const frames = new Array(315).fill(7);
  assert.doesNotThrow(() => read(block(1, 0, XIPH, [2, 255, 45, 5, ...frames])));
  // EBML: first size 300 as a 2-byte vint (0x41 0x2C), then 5 - 300 = -295 as a signed
  // 2-byte vint: -295 + 8191 = 7896 = 0x1ED8 -> 0x5E 0xD8.
  assert.doesNotThrow(() => read(block(1, 0, EBML, [2, 0x41, 0x2c, 0x5e, 0xd8, ...frames])));
  assert.doesNotThrow(() => read(block(1, 0, FIXED, [2, ...new Array(30).fill(0)])));
});

Deno.test("readBlock() refuses lace sizes that do not fit the block", () => {
  assert.throws(() => read(block(1, 0, XIPH, [2, 255, 255, 255])), /invalid lace header/);
  assert.throws(() => read(block(1, 0, XIPH, [1, 200, ...new Array(50).fill(0)])), /lace/);
  assert.throws(() => read(block(1, 0, EBML, [2, 0x41, 0x2c, 0x5e, 0xd8, 1, 2])), /lace/);
  assert.throws(() => read(block(1, 0, EBML, [2, 0x81, 0x40, 0x00, 0, 0, 0])), /lace/);
  assert.throws(() => read(block(1, 0, FIXED, [2, ...new Array(31).fill(0)])), /lace/);
  assert.throws(() => read(block(1, 0, XIPH, [])), /lace/);
});

Deno.test("readTracks() lists audio and video tracks with codec strings", () => {
  const avcC = [1, 0x64, 0x00, 0x1f, 0xff];
  const tracks = el(
    0x1654ae6b,
    el(0xae, uint(0xd7, 1), uint(0x83, 1), str(0x86, "V_MPEG4/ISO/AVC"), el(0x63a2, avcC)),
    el(0xae, uint(0xd7, 2), uint(0x83, 0x11), str(0x86, "S_TEXT/UTF8")),
    el(0xae, uint(0xd7, 3), uint(0x83, 2), str(0x86, "A_OPUS")),
  );
  const body = tracks.subarray(12);
  assert.deepStrictEqual(readTracks(body, 0, body.length, 12), [
    { number: 1, kind: "video", codec: "avc1.64001F" },
    { number: 3, kind: "audio", codec: "opus" },
  ]);
  const broken = concat([body, new Uint8Array([0xae, 0x85, 0xd7])]);
  assert.throws(() => readTracks(broken, 0, broken.length, 12), /overruns its parent/);
});

Deno.test("codecString() maps Matroska CodecIDs to MSE codec strings", () => {
  assert.equal(codecString("V_VP8"), "vp8");
  assert.equal(codecString("V_VP9"), "vp9");
  assert.equal(codecString("V_AV1", new Uint8Array([0x81, 0x08, 0x0c])), "av01.0.08M.08");
  assert.equal(codecString("V_AV1"), "av01.0.04M.08");
  assert.equal(codecString("A_VORBIS"), "vorbis");
  assert.equal(codecString("A_OPUS"), "opus");
});

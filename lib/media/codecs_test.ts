import assert from "node:assert/strict";
import { av1Codec, avcCodec, hevcCodec, mp4aCodec, vp9Codec } from "./codecs.ts";

const u8 = (...b: number[]) => new Uint8Array(b);

Deno.test("avcCodec() prints profile, constraints and level as uppercase hex", () => {
  assert.equal(avcCodec(u8(1, 0x42, 0xe0, 0x1e, 0xff)), "avc1.42E01E");
  assert.equal(avcCodec(u8(1, 0x64, 0x00, 0x28), "avc3"), "avc3.640028");
  assert.equal(avcCodec(undefined), "avc1.42E01E");
});

Deno.test("hevcCodec() follows ISO/IEC 14496-15 Annex E", () => {
  // Main profile, compatibility flags 0x60000000 (reversed: 6), level 93, constraints 0x90.
  const hvcC = u8(1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 93);
  assert.equal(hevcCodec(hvcC), "hvc1.1.6.L93.90");
  assert.equal(hevcCodec(hvcC, "hev1"), "hev1.1.6.L93.90");
  assert.equal(hevcCodec(undefined), "hvc1");
});

Deno.test("av1Codec() and vp9Codec() read profile, level and bit depth", () => {
  assert.equal(av1Codec(u8(0x81, 0x2d, 0xc0)), "av01.1.13H.10");
  assert.equal(av1Codec(u8(0x81, 0x04, 0x60)), "av01.0.04M.12");
  assert.equal(vp9Codec(u8(1, 0, 0, 0, 0, 10, 0x80)), "vp09.00.10.08");
  assert.equal(vp9Codec(u8(1, 0, 0, 0, 2, 31, 0xa0)), "vp09.02.31.10");
});

Deno.test("mp4aCodec() reads the audio object type from esds", () => {
  // ES_Descriptor(ES_ID 1) > DecoderConfigDescriptor(0x40) > DecoderSpecificInfo(AAC-LC, 48 kHz)
  const esds = u8(
    0,
    0,
    0,
    0,
    0x03,
    25,
    0,
    1,
    0,
    0x04,
    17,
    0x40,
    0x15,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0x05,
    2,
    0x11,
    0x90,
  );
  assert.equal(mp4aCodec(esds), "mp4a.40.2");
  const he = esds.slice();
  he[26] = 0x2b; // audioObjectType 5 (SBR)
  assert.equal(mp4aCodec(he), "mp4a.40.5");
  const mp3 = esds.slice();
  mp3[11] = 0x6b;
  assert.equal(mp4aCodec(mp3), "mp4a.6b");
  assert.equal(mp4aCodec(u8(0, 0, 0, 0, 0x07)), "mp4a.40.2");
});

import assert from "node:assert/strict";
import { concat, feed, fixturePath, media, prng } from "./_testing.ts";
import { BoxHeader, readBoxHeader } from "./isobmff.ts";
import { Mp4Demuxer } from "./mp4.ts";
import { type InitSegment, MediaError } from "./segment.ts";

type Part = Uint8Array | number[];
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const bytes = (parts: Part[]) =>
  concat(parts.map((p) => p instanceof Uint8Array ? p : new Uint8Array(p)));
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

function box(type: string, ...parts: Part[]): Uint8Array {
  const body = bytes(parts);
  return bytes([u32(body.length + 8), ascii(type), body]);
}

const NON_SYNC = 0x10000;

/** ftyp + moov with one video track (id 1, timescale 90000) and trex default flags. */
function initBoxes(trexFlags: number, { fragmented = true } = {}): Uint8Array {
  const avc1 = box("avc1", new Array(78).fill(0), box("avcC", [1, 0x42, 0xe0, 0x1e]));
  const trak = box(
    "trak",
    box("tkhd", [0, 0, 0, 3], u32(0), u32(0), u32(1), new Array(68).fill(0)),
    box(
      "mdia",
      box("mdhd", [0, 0, 0, 0], u32(0), u32(0), u32(90000), u32(0), [0, 0, 0, 0]),
      box("hdlr", [0, 0, 0, 0], u32(0), ascii("vide"), new Array(13).fill(0)),
      box("minf", box("stbl", box("stsd", [0, 0, 0, 0], u32(1), avc1))),
    ),
  );
  const mvex = box(
    "mvex",
    box("trex", [0, 0, 0, 0], u32(1), u32(1), u32(3000), u32(0), u32(trexFlags)),
  );
  return bytes([
    box("ftyp", ascii("iso5"), u32(0), ascii("iso5")),
    box("moov", trak, ...(fragmented ? [mvex] : [])),
  ]);
}

/** moof + mdat for track 1 at `time` (90 kHz), with flags given at the chosen level. */
function fragment(time: number, flags: { trun?: number; sample?: number; tfhd?: number }) {
  const tfhdFlags = 0x020000 | (flags.tfhd !== undefined ? 0x20 : 0);
  const tfhd = box(
    "tfhd",
    [0, ...u32(tfhdFlags).slice(1)],
    u32(1),
    flags.tfhd !== undefined ? u32(flags.tfhd) : [],
  );
  const trunFlags = 0x100 | (flags.trun !== undefined ? 0x04 : 0) |
    (flags.sample !== undefined ? 0x400 : 0);
  const samples = [0, 1].flatMap(
    () => [...u32(3000), ...(flags.sample !== undefined ? u32(flags.sample) : [])],
  );
  const trun = box(
    "trun",
    [0, ...u32(trunFlags).slice(1)],
    u32(2),
    flags.trun !== undefined ? u32(flags.trun) : [],
    samples,
  );
  const traf = box("traf", tfhd, box("tfdt", [1, 0, 0, 0], u32(0), u32(time)), trun);
  return bytes([box("moof", box("mfhd", [0, 0, 0, 0], u32(1)), traf), box("mdat", [1, 2, 3, 4])]);
}

function keyframes(data: Uint8Array): boolean[] {
  return media(feed(new Mp4Demuxer(), data)).map((s) => s.keyframe);
}

Deno.test("Mp4Demuxer emits ftyp+moov as init and each styp+moof+mdat as one start piece", () => {
  const init = initBoxes(0);
  const styp = box("styp", ascii("msdh"), u32(0));
  const frag = fragment(180000, {});
  const segments = feed(new Mp4Demuxer(), bytes([init, styp, frag, frag]), prng(4), 7);
  assert.deepStrictEqual(segments[0].bytes, init);
  assert.equal((segments[0] as InitSegment).mime, 'video/mp4; codecs="avc1.42E01E"');
  assert.deepStrictEqual(
    media(segments).map((s) => [s.start, s.timestampMs, s.bytes.length]),
    [[true, 2000, styp.length + frag.length], [true, 2000, frag.length]],
  );
});

Deno.test("Mp4Demuxer takes the first sample's flags from trun, samples, tfhd, then trex", () => {
  const sync = 0, nonSync = NON_SYNC;
  const cases: [Parameters<typeof fragment>[1], number, boolean][] = [
    [{ trun: sync, sample: nonSync, tfhd: nonSync }, nonSync, true],
    [{ trun: nonSync, sample: sync, tfhd: sync }, sync, false],
    [{ sample: sync, tfhd: nonSync }, nonSync, true],
    [{ sample: nonSync, tfhd: sync }, sync, false],
    [{ tfhd: sync }, nonSync, true],
    [{ tfhd: nonSync }, sync, false],
    [{}, sync, true],
    [{}, nonSync, false],
  ];
  for (const [flags, trex, expected] of cases) {
    const data = bytes([initBoxes(trex), fragment(0, flags)]);
    assert.deepStrictEqual(keyframes(data), [expected], JSON.stringify({ flags, trex }));
  }
});

Deno.test("Mp4Demuxer reads 64-bit box sizes", () => {
  const data = Deno.readFileSync(fixturePath("ffmpeg/h264-aac-g30.mp4"));
  // Rewrite every top-level mdat header to the size==1 + largesize form.
  const h = new BoxHeader();
  const parts: Uint8Array[] = [];
  for (let pos = 0; pos < data.length; pos += h.size) {
    readBoxHeader(data, pos, data.length, pos, h);
    if (h.type !== "mdat") {
      parts.push(data.subarray(pos, pos + h.size));
      continue;
    }
    parts.push(bytes([u32(1), ascii("mdat"), u32(0), u32(h.size + 8)]));
    parts.push(data.subarray(pos + 8, pos + h.size));
  }
  const large = concat(parts);
  assert.equal(large.length, data.length + 8 * 4);
  const expected = media(feed(new Mp4Demuxer(), data)).map((s) => [s.keyframe, s.timestampMs]);
  const segments = feed(new Mp4Demuxer(), large, prng(9), 999);
  assert.deepStrictEqual(media(segments).map((s) => [s.keyframe, s.timestampMs]), expected);
  assert.deepStrictEqual(concat(segments.map((s) => s.bytes)), large);
});

Deno.test("Mp4Demuxer refuses size-0 boxes, unfragmented files and misplaced boxes", () => {
  const init = initBoxes(0);
  const mdat0 = bytes([u32(0), ascii("mdat"), [1, 2, 3]]);
  assert.throws(() => new Mp4Demuxer().push(bytes([init, mdat0])), /runs to end of stream/);
  const plain = Deno.readFileSync(fixturePath("ffmpeg/bad-unfragmented.mp4"));
  assert.throws(() => feed(new Mp4Demuxer(), plain), /not a fragmented MP4.*frag_keyframe/);
  assert.throws(() => feed(new Mp4Demuxer(), initBoxes(0, { fragmented: false })), /no mvex/);
  assert.throws(() => new Mp4Demuxer().push(fragment(0, {})), /'moof' at byte 0 before any moov/);
  const moof = fragment(0, {}).subarray(0, -12);
  assert.throws(() => new Mp4Demuxer().push(bytes([init, moof, moof])), /moof without mdat/);
  assert.throws(
    () => new Mp4Demuxer().push(bytes([init, moof, box("free"), box("mdat")])),
    /'free' at byte \d+ between moof and mdat/,
  );
  assert.throws(
    () => new Mp4Demuxer().push(bytes([init, box("mdat")])),
    /mdat at byte \d+ without a moof/,
  );
  assert.throws(
    () => new Mp4Demuxer().push(bytes([init, [0, 0, 0, 9, 0x6d, 0, 0x61, 0x74]])),
    /invalid box type at byte \d+/,
  );
});

Deno.test("Mp4Demuxer bounds fragments and boxes by maxElementBytes", () => {
  const init = initBoxes(0);
  const big = bytes([u32(0x7fffffff), ascii("mdat")]);
  assert.throws(() => new Mp4Demuxer().push(bytes([init, big])), /over the limit/);
  const moof = fragment(0, {}).subarray(0, -12);
  const frag = bytes([moof, box("mdat", new Array(init.length).fill(0))]);
  const small = new Mp4Demuxer({ maxElementBytes: init.length + 8 });
  assert.throws(() => feed(small, bytes([init, frag])), /fragment reaches over the/);
});

Deno.test("Mp4Demuxer drops mfra and starts over at a new ftyp", () => {
  const init = initBoxes(0);
  const mfra = box("mfra", box("mfro", u32(0), u32(16)));
  const data = bytes([init, fragment(0, {}), mfra, init, fragment(90000, {})]);
  const segments = feed(new Mp4Demuxer(), data, prng(5), 13);
  assert.deepStrictEqual(segments.map((s) => s.type), ["init", "media", "init", "media"]);
  assert.equal(concat(segments.map((s) => s.bytes)).length, data.length - mfra.length);
  assert.equal((segments[3] as { timestampMs: number }).timestampMs, 1000);
});

Deno.test("Mp4Demuxer.end() throws when the stream stops inside a fragment", () => {
  const data = bytes([initBoxes(0), fragment(0, {})]);
  const demuxer = new Mp4Demuxer();
  demuxer.push(data.subarray(0, -1));
  assert.throws(() => demuxer.end(), MediaError);
});

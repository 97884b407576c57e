/**
 * Nothing derived from media bytes or a client's string reaches a header or
 * a message unchecked: codec names with control bytes, quotes or huge sizes,
 * and MIME types over 255 bytes, are refused as unsupported media.
 */
import assert from "node:assert/strict";
import { UnsupportedMediaError } from "../errors.ts";
import { webmWithCodecs } from "./_ebml_builder.ts";
import { concat, feed } from "./_testing.ts";
import {
  announcedMime,
  isCodecString,
  isMediaMime,
  MAX_MIME_BYTES,
  streamMime,
  UnsupportedCodecError,
  uploadMime,
} from "./mime.ts";
import { Mp4Demuxer } from "./mp4.ts";
import { MediaError } from "./segment.ts";
import { WebmDemuxer } from "./webm.ts";

const ascii = (s: string) => new TextEncoder().encode(s);

Deno.test("isCodecString() takes RFC 6381 names and Matroska IDs, nothing that breaks a header", () => {
  for (
    const ok of ["vp8", "vp09.00.10.08", "avc1.42E01E", "mp4a.40.2", "V_MPEG4/ISO/ASP", "hvc1"]
  ) {
    assert.ok(isCodecString(ok), ok);
  }
  for (
    const bad of [
      "",
      "vp8\x01",
      "vp8\n",
      "vp\x7f8",
      'vp8"',
      "vp8,opus",
      "vp8;x",
      "a b",
      ".vp8",
      "é",
      "x".repeat(65),
    ]
  ) {
    assert.ok(!isCodecString(bad), JSON.stringify(bad));
  }
});

Deno.test("streamMime() builds the MIME or refuses a bad codec and a MIME over 255 bytes", () => {
  assert.equal(streamMime("video", "webm", ["vp8", "opus"]), 'video/webm; codecs="vp8,opus"');
  assert.throws(() => streamMime("video", "webm", ["vp8\x1b"]), UnsupportedCodecError);
  const many = Array.from({ length: 40 }, () => "mp4a.40.2");
  assert.throws(() => streamMime("audio", "mp4", many), /over 255/);
  const err = (() => {
    try {
      streamMime("video", "webm", ["vp8\x01"]);
    } catch (e) {
      return e as Error;
    }
  })();
  assert.ok(err instanceof MediaError, "a MediaError, so ingest maps it");
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(err.message, /[\x00-\x1f]/, "the message itself is printable");
});

for (const byte of [0x01, 0x0a, 0x1b, 0x1f, 0x22, 0x7f]) {
  Deno.test(`WebmDemuxer refuses a CodecID holding byte 0x${byte.toString(16)}`, () => {
    const data = webmWithCodecs([concat([ascii("V_VP"), new Uint8Array([byte]), ascii("8")])]);
    assert.throws(() => feed(new WebmDemuxer(), data), UnsupportedCodecError);
  });
}

Deno.test("WebmDemuxer refuses a 130 KB CodecID cleanly (no RangeError)", () => {
  const data = webmWithCodecs([new Uint8Array(130_000).fill(0x41)]);
  assert.throws(() => feed(new WebmDemuxer(), data), UnsupportedCodecError);
});

Deno.test("WebmDemuxer refuses a stream whose MIME would exceed 255 bytes", () => {
  const ids = Array.from({ length: 40 }, (_, i) => ascii(i === 0 ? "V_VP8" : "A_OPUS_LONGNAME"));
  assert.throws(() => feed(new WebmDemuxer(), webmWithCodecs(ids)), /over 255/);
  // The same with few tracks is fine and within the limit.
  const ok = feed(new WebmDemuxer(), webmWithCodecs([ascii("V_VP8"), ascii("A_OPUS")]));
  assert.ok(ok[0].type === "init" && ok[0].mime.length <= MAX_MIME_BYTES);
});

Deno.test("Mp4Demuxer refuses a sample entry type that is not a codec name", () => {
  const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const box = (type: string, ...parts: (number[] | Uint8Array)[]) => {
    const body = concat(parts.map((p) => p instanceof Uint8Array ? p : new Uint8Array(p)));
    return concat([new Uint8Array([...u32(body.length + 8), ...ascii(type)]), body]);
  };
  const trak = box(
    "trak",
    box("tkhd", [0, 0, 0, 3], u32(0), u32(0), u32(1), new Array(68).fill(0)),
    box(
      "mdia",
      box("mdhd", [0, 0, 0, 0], u32(0), u32(0), u32(90000), u32(0), [0, 0, 0, 0]),
      box("hdlr", [0, 0, 0, 0], u32(0), [...ascii("vide")], new Array(13).fill(0)),
      box(
        "minf",
        box("stbl", box("stsd", [0, 0, 0, 0], u32(1), box('a"b,', new Array(8).fill(0)))),
      ),
    ),
  );
  const init = concat([
    box("ftyp", [...ascii("iso5")], u32(0)),
    box(
      "moov",
      trak,
      box("mvex", box("trex", [0, 0, 0, 0], u32(1), u32(1), u32(0), u32(0), u32(0))),
    ),
    box("moof", box("mfhd", [0, 0, 0, 0], u32(1))),
  ]);
  assert.throws(() => new Mp4Demuxer().push(init), UnsupportedCodecError);
});

Deno.test("announcedMime() keeps a clean media type and refuses anything else with 415", () => {
  assert.equal(announcedMime(" video/webm;codecs=vp8,opus "), "video/webm;codecs=vp8,opus");
  assert.equal(announcedMime('video/webm; codecs="vp8, opus"'), 'video/webm; codecs="vp8, opus"');
  assert.equal(announcedMime("audio/mp4"), "audio/mp4");
  assert.equal(announcedMime("video/webm\r\n"), "video/webm", "surrounding whitespace is trimmed");
  for (
    const bad of [
      "video/webm\x01",
      "video/we\nbm",
      "video/webm;\tcodecs=vp8",
      'video/webm;codecs="vp8\x1f"',
      "text/html",
      "video/",
      "x".repeat(300),
      `video/webm;codecs="${"a".repeat(250)}"`,
    ]
  ) {
    assert.throws(() => announcedMime(bad), UnsupportedMediaError, JSON.stringify(bad));
    assert.ok(!isMediaMime(bad));
  }
});

Deno.test("uploadMime() ignores non-media Content-Types and refuses malformed media ones", () => {
  assert.equal(uploadMime(null), undefined);
  assert.equal(uploadMime("application/octet-stream"), undefined);
  assert.equal(uploadMime("application/x-www-form-urlencoded"), undefined);
  assert.equal(uploadMime("video/webm"), "video/webm");
  assert.throws(() => uploadMime('video/webm; codecs="vp8\x01"'), UnsupportedMediaError);
});

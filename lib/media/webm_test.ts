import assert from "node:assert/strict";
import { block, cluster, ebmlHeader, el, open, simple, streamHead, uint } from "./_ebml_builder.ts";
import { concat, feed, fixturePath, media, prng } from "./_testing.ts";
import { ElementHeader, Id, readElementHeader } from "./ebml.ts";
import { type InitSegment, MediaError } from "./segment.ts";
import { WebmDemuxer } from "./webm.ts";

const VIDEO = 1, AUDIO = 2;

/** The pieces as [start, keyframe, timestampMs, byte length]. */
function shape(data: Uint8Array, options = {}) {
  return media(feed(new WebmDemuxer(options), data)).map((s) => [
    s.start,
    s.keyframe,
    s.timestampMs,
    s.bytes.length,
  ]);
}

Deno.test("WebmDemuxer emits the head up to the first Cluster as one init segment", () => {
  const head = streamHead();
  const segments = feed(new WebmDemuxer(), concat([head, cluster(0, simple(VIDEO, 0, true))]));
  const init = segments[0] as InitSegment;
  assert.equal(init.type, "init");
  assert.deepStrictEqual(init.bytes, head);
  assert.equal(init.mime, 'video/webm; codecs="vp8,opus"');
  assert.deepStrictEqual(init.tracks, [
    { number: 1, kind: "video", codec: "vp8" },
    { number: 2, kind: "audio", codec: "opus" },
  ]);
});

Deno.test("WebmDemuxer holds the cluster head until the first video block decides keyframe", () => {
  const a1 = simple(AUDIO, 5, true), a2 = simple(AUDIO, 25, true);
  const v = simple(VIDEO, 33, true), a3 = simple(AUDIO, 45, true);
  const c = cluster(1000, a1, a2, v, a3);
  const head = c.length - a1.length - a2.length - v.length - a3.length;
  assert.deepStrictEqual(shape(concat([streamHead(), c])), [
    [true, true, 1005, head + a1.length + a2.length + v.length],
    [false, false, 1045, a3.length],
  ]);
});

Deno.test("WebmDemuxer marks a cluster opening on a video interframe as no keyframe", () => {
  const data = concat([
    streamHead(),
    cluster(0, simple(VIDEO, 0, true), simple(VIDEO, 33, false)),
    cluster(66, simple(VIDEO, 0, false), simple(VIDEO, 33, true)),
  ]);
  assert.deepStrictEqual(shape(data).map((p) => p.slice(0, 3)), [
    [true, true, 0],
    [false, false, 33],
    [true, false, 66],
    [false, false, 99],
  ]);
});

Deno.test("WebmDemuxer reads BlockGroup keyframes from the absence of ReferenceBlock", () => {
  const group = (time: number, ref: boolean) =>
    el(Id.BlockGroup, el(Id.Block, block(VIDEO, time, 0)), ...(ref ? [uint(0xfb, 33)] : []));
  const data = concat([
    streamHead(),
    cluster(0, group(0, false), group(33, true)),
    cluster(66, group(0, true)),
  ]);
  assert.deepStrictEqual(shape(data).map((p) => p.slice(0, 3)), [
    [true, true, 0],
    [false, false, 33],
    [true, false, 66],
  ]);
});

Deno.test("WebmDemuxer: a cluster without video in a video stream is not a keyframe", () => {
  const data = concat([
    streamHead(),
    cluster(0, simple(AUDIO, 0, true), simple(AUDIO, 20, true)),
    cluster(40, simple(AUDIO, 0, true)),
  ]);
  // The second cluster ends with the stream: end() flushes its held head.
  assert.deepStrictEqual(shape(data).map((p) => p.slice(0, 3)), [[true, false, 0], [
    true,
    false,
    40,
  ]]);
});

Deno.test("WebmDemuxer: in audio-only streams every cluster start is a keyframe", () => {
  const data = concat([
    streamHead({ video: false }),
    cluster(0, simple(AUDIO, 0, false), simple(AUDIO, 20, false)),
    cluster(40),
  ]);
  const segments = feed(new WebmDemuxer(), data);
  assert.equal((segments[0] as InitSegment).mime, 'audio/webm; codecs="opus"');
  assert.deepStrictEqual(media(segments).map((s) => [s.start, s.keyframe, s.timestampMs]), [
    [true, true, 0],
    [false, false, 20],
    [true, true, 40],
  ]);
});

Deno.test("WebmDemuxer scales times by TimestampScale", () => {
  const data = concat([streamHead({ scale: 500_000 }), cluster(2000, simple(VIDEO, 10, true))]);
  assert.deepStrictEqual(shape(data)[0].slice(0, 3), [true, true, 1005]);
});

Deno.test("WebmDemuxer gives up holding a cluster head past the limit, without a keyframe", () => {
  const audio = Array.from({ length: 20 }, (_, i) => simple(AUDIO, i * 20, true));
  const data = concat([streamHead(), cluster(0, ...audio, simple(VIDEO, 400, true))]);
  const pieces = shape(data, { maxElementBytes: 200 });
  assert.deepStrictEqual(pieces[0].slice(0, 3), [true, false, 0]);
  assert.ok((pieces[0][3] as number) <= 200 + 30);
  assert.ok(pieces.slice(1).every(([start]) => !start));
});

Deno.test("WebmDemuxer ends an unknown-size Cluster at Cues and drops the Cues", () => {
  const c = cluster(0, simple(VIDEO, 0, true));
  const data = concat([
    streamHead(),
    c,
    el(Id.Cues, [1, 2, 3]),
    cluster(33, simple(VIDEO, 0, true)),
  ]);
  const segments = feed(new WebmDemuxer(), data, prng(1), 3);
  assert.deepStrictEqual(media(segments).map((s) => [s.start, s.timestampMs]), [[true, 0], [
    true,
    33,
  ]]);
  assert.equal(media(segments)[0].bytes.length, c.length);
});

Deno.test("WebmDemuxer starts over with a new init segment at a new EBML header", () => {
  const one = concat([streamHead(), cluster(0, simple(VIDEO, 0, true))]);
  const two = concat([streamHead({ video: false }), cluster(0, simple(AUDIO, 0, true))]);
  const segments = feed(new WebmDemuxer(), concat([one, two]), prng(2), 10);
  assert.deepStrictEqual(segments.map((s) => s.type), ["init", "media", "init", "media"]);
  assert.equal((segments[2] as InitSegment).mime, 'audio/webm; codecs="opus"');
});

Deno.test("WebmDemuxer segments unknown-size Clusters like sized ones", () => {
  // Rewrite every Cluster of an ffmpeg -live file (sized clusters) to unknown size.
  const data = Deno.readFileSync(fixturePath("ffmpeg/vp8-opus-live.webm"));
  const h = new ElementHeader();
  const parts: Uint8Array[] = [];
  let pos = 0;
  while (pos < data.length) {
    const hl = readElementHeader(data, pos, data.length, pos, h);
    if (h.id === Id.Segment) {
      parts.push(data.subarray(pos, pos + hl));
      pos += hl;
      continue;
    }
    const body = data.subarray(pos + hl, pos + hl + h.size);
    parts.push(
      h.id === Id.Cluster ? open(Id.Cluster, body) : data.subarray(pos, pos + hl + h.size),
    );
    pos += hl + h.size;
  }
  const rewritten = concat(parts);
  assert.notDeepEqual(rewritten, data);
  const sized = shape(data), unsized = shape(rewritten);
  assert.deepStrictEqual(unsized.map((p) => p.slice(0, 3)), sized.map((p) => p.slice(0, 3)));
  const whole = feed(new WebmDemuxer(), rewritten);
  assert.deepStrictEqual(concat(whole.map((s) => s.bytes)), rewritten);
  for (let seed = 1; seed <= 10; seed++) {
    assert.deepStrictEqual(feed(new WebmDemuxer(), rewritten, prng(seed), 50 * seed), whole);
  }
});

Deno.test("WebmDemuxer refuses a declared oversized element before buffering it", () => {
  const demuxer = new WebmDemuxer({ maxElementBytes: 1024 * 1024 });
  demuxer.push(concat([streamHead(), cluster(0)]));
  const header = new Uint8Array([0xa3, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
  header.set([0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00], 1); // 256 MiB SimpleBlock
  assert.throws(() => demuxer.push(header), /over the 1048576-byte limit/);
  assert.throws(() => demuxer.push(new Uint8Array(1)), MediaError, "stays failed");
});

Deno.test("WebmDemuxer refuses unknown sizes on elements other than Segment and Cluster", () => {
  const data = concat([ebmlHeader(), open(Id.Segment), open(Id.Tracks)]);
  assert.throws(() => new WebmDemuxer().push(data), /unknown size/);
});

Deno.test("WebmDemuxer names the byte offset of a garbage ID", () => {
  const head = streamHead();
  const c = cluster(0, simple(VIDEO, 0, true));
  const data = concat([head, c, new Uint8Array([0x00, 0x81, 0x00])]);
  assert.throws(
    () => new WebmDemuxer().push(data),
    new RegExp(`invalid EBML element ID at byte ${head.length + c.length}: 00 81 00`),
  );
  const sized = concat([head, el(Id.Cluster, uint(Id.Timestamp, 0), el(0x4286, [1]))]);
  assert.throws(
    () => new WebmDemuxer().push(sized),
    /unexpected element ID 0x4286 inside a Cluster/,
  );
});

Deno.test("WebmDemuxer.end() throws on a stream cut inside an element or before a Cluster", () => {
  const data = concat([streamHead(), cluster(0, simple(VIDEO, 0, true))]);
  for (const cut of [10, streamHead().length - 1, data.length - 2]) {
    const demuxer = new WebmDemuxer();
    demuxer.push(data.subarray(0, cut));
    assert.throws(() => demuxer.end(), MediaError, `cut at ${cut}`);
  }
  const complete = new WebmDemuxer();
  complete.push(data);
  assert.equal(complete.end().length, 0);
});

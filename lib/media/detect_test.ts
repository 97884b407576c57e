// Fixture-driven tests of both demuxers through createDemuxer(): chunking
// invariance, losslessness, ffprobe agreement, decodability, fuzzing.

import assert from "node:assert/strict";
import { ffmpegErrors } from "../../tests/ffmpeg_check.ts";
import {
  concat,
  feed,
  fixturePath,
  fixtures,
  label,
  media,
  type Packet,
  prng,
  probePackets,
  recordedChunks,
} from "./_testing.ts";
import { createDemuxer, sniff } from "./detect.ts";
import { ElementHeader, Id, readElementHeader, UNKNOWN_SIZE } from "./ebml.ts";
import { type InitSegment, MediaError, type Segment } from "./segment.ts";

const FIXTURES = fixtures();
const load = (path: string) => Deno.readFileSync(path);
const isWebm = (path: string) => !path.endsWith(".mp4");

/** The input minus what the WebM demuxer drops: Segment children after the first Cluster. */
function expectedOutput(data: Uint8Array): Uint8Array {
  if (data[0] !== 0x1a) return data;
  const h = new ElementHeader();
  let pos = 0;
  const kept: Uint8Array[] = [];
  let afterCluster = false;
  while (pos < data.length) {
    const hl = readElementHeader(data, pos, data.length, pos, h);
    if (h.id === Id.Segment) {
      kept.push(data.subarray(pos, pos + hl));
      pos += hl;
      continue;
    }
    // Unknown-size clusters (MediaRecorder, ffmpeg -live) come with nothing to drop.
    if (h.size === UNKNOWN_SIZE) return data;
    const end = pos + hl + h.size;
    if (h.id === Id.Cluster) afterCluster = true;
    if (!afterCluster || h.id === Id.Cluster) kept.push(data.subarray(pos, end));
    pos = end;
  }
  return concat(kept);
}

function bytesOf(segments: readonly Segment[]): Uint8Array {
  return concat(segments.map((s) => s.bytes));
}

const EXPECTED_MIME: Record<string, string> = {
  "ffmpeg/aac-only.mp4": 'audio/mp4; codecs="mp4a.40.2"',
  "ffmpeg/h264-aac-frag100ms.mp4": 'video/mp4; codecs="avc1.42C00D,mp4a.40.2"',
  "ffmpeg/h264-aac-g30.mp4": 'video/mp4; codecs="avc1.42C00D,mp4a.40.2"',
  "ffmpeg/h264-aac-g60.mp4": 'video/mp4; codecs="avc1.42C00D,mp4a.40.2"',
  "ffmpeg/h264-opus.mp4": 'video/mp4; codecs="avc1.42C00D,opus"',
  "ffmpeg/opus-only.webm": 'audio/webm; codecs="opus"',
  "ffmpeg/vorbis-only.webm": 'audio/webm; codecs="vorbis"',
  "ffmpeg/vp8-only.webm": 'video/webm; codecs="vp8"',
  "ffmpeg/vp8-opus-g30.webm": 'video/webm; codecs="vp8,opus"',
  "ffmpeg/vp8-opus-live.webm": 'video/webm; codecs="vp8,opus"',
  "ffmpeg/vp8-opus-smallclusters.webm": 'video/webm; codecs="vp8,opus"',
  "ffmpeg/vp9-opus-g60.webm": 'video/webm; codecs="vp9,opus"',
};

Deno.test("fixtures are present", () => {
  assert.ok(
    FIXTURES.filter((p) => p.includes("/ffmpeg/")).length >= Object.keys(EXPECTED_MIME).length,
  );
});

for (const path of FIXTURES) {
  const name = label(path);

  Deno.test(`${name}: segments are the same whether fed whole or in random chunks`, () => {
    const data = load(path);
    const whole = feed(createDemuxer(), data);
    assert.ok(whole.length > 2);
    for (let seed = 1; seed <= 24; seed++) {
      const maxChunk = [1, 7, 100, 4096, 70_000, 2_000_000][seed % 6];
      assert.deepStrictEqual(
        feed(createDemuxer(), data, prng(seed), maxChunk),
        whole,
        `seed ${seed}`,
      );
    }
    const chunks = recordedChunks(path);
    if (chunks && chunks.reduce((a, b) => a + b, 0) === data.length) {
      const demuxer = createDemuxer();
      const out: Segment[] = [];
      let at = 0;
      for (const n of chunks) out.push(...demuxer.push(data.subarray(at, at += n)));
      out.push(...demuxer.end());
      assert.deepStrictEqual(out, whole, "recorded MediaRecorder chunking");
    }
  });

  Deno.test(`${name}: init + media reproduce the input (less dropped index elements)`, () => {
    const data = load(path);
    const segments = feed(createDemuxer(), data);
    assert.equal(segments[0].type, "init");
    assert.equal(segments.filter((s) => s.type === "init").length, 1);
    assert.deepStrictEqual(bytesOf(segments), expectedOutput(data));
    if (path.includes("-live") || path.includes("/chromium/") || !isWebm(path)) {
      assert.deepStrictEqual(bytesOf(segments), data, "nothing dropped from a live stream");
    }
    const init = segments[0] as InitSegment;
    if (EXPECTED_MIME[name]) assert.equal(init.mime, EXPECTED_MIME[name]);
    assert.match(init.mime, /^(video|audio)\/(webm|mp4); codecs="[\w.,]+"$/);
    assert.equal(init.container, isWebm(path) ? "webm" : "mp4");
  });

  Deno.test(`${name}: keyframe flags and times agree with ffprobe`, async () => {
    const data = load(path);
    const segments = feed(createDemuxer(), data);
    const init = segments[0] as InitSegment;
    const hasVideo = init.tracks.some((t) => t.kind === "video");
    const packets = (await probePackets(path)).sort((a, b) => a.pos - b.pos);
    // Byte ranges of the pieces in the input (dropped elements only follow the last Cluster).
    let at = 0;
    const ranges = segments.map((s) => [at, at += s.bytes.length]);
    const starts = segments.flatMap((s, i) => s.type === "media" && s.start ? [i] : []);
    assert.ok(starts.length > 0);
    let keyframes = 0;
    const offsets = new Map<number, number>();
    starts.forEach((i, n) => {
      const piece = segments[i] as Segment & { type: "media" };
      const [a, b] = ranges[i];
      const c = n + 1 < starts.length ? ranges[starts[n + 1]][0] : at;
      const inFragment = packets.filter((p) => p.pos >= a && p.pos < c);
      const firstVideo = inFragment.find((p) => p.kind === "video");
      const expected = hasVideo ? firstVideo?.key ?? false : true;
      assert.equal(piece.keyframe, expected, `start piece at byte ${a}`);
      if (piece.keyframe) keyframes++;
      let first: Packet | undefined;
      if (isWebm(path)) {
        if (firstVideo) assert.ok(firstVideo.pos < b, `first video block inside start piece ${a}`);
        first = packets.find((p) => p.pos >= a && p.pos < b);
        // ffprobe moves Opus back by the track's CodecDelay (when the muxer wrote one), which
        // block times include: allow a constant 0-7 ms offset per stream.
        if (first) {
          const diff = piece.timestampMs - first.ptsMs;
          const offset = offsets.get(first.stream) ?? diff;
          offsets.set(first.stream, offset);
          assert.ok(offset > -0.75 && offset < 7.75, `offset ${offset} of stream ${first.stream}`);
          assert.ok(Math.abs(diff - offset) < 0.75, `time at ${a}`);
        }
      } else {
        first = firstVideo ?? inFragment[0];
        if (first) assert.ok(Math.abs(piece.timestampMs - first.dtsMs) < 0.5, `time at ${a}`);
      }
    });
    assert.ok(keyframes >= 1);
    if (/smallclusters|frag100ms/.test(path)) {
      assert.ok(keyframes < starts.length, "some fragments open on a non-keyframe");
    }
    if (/g30|-live/.test(path)) assert.ok(keyframes >= 3, "a keyframe cluster about every second");
    if (/opus-only|aac-only/.test(path)) assert.equal(keyframes, starts.length);
  });

  Deno.test(`${name}: init + media from a later keyframe decode without errors`, async () => {
    const segments = feed(createDemuxer(), load(path));
    const keyStarts = segments.flatMap((s, i) => s.type === "media" && s.keyframe ? [i] : []);
    const from = keyStarts[Math.min(1, keyStarts.length - 1)];
    const bytes = bytesOf([segments[0], ...segments.slice(from)]);
    let errors = await ffmpegErrors(bytes);
    if (bytesOf(segments).length < Deno.statSync(path).size) {
      // A sized Segment (non-live file) still counts the Cues and Tags that were dropped.
      errors = errors.replace(/^.*File ended prematurely.*$/m, "").trim();
    }
    assert.equal(errors, "");
  });

  // Only VP8/VP9 decoders complain about a missing keyframe; H.264 ones guess on.
  if (/vp[89]/.test(path) && isWebm(path)) {
    Deno.test(`${name}: starting at a VP8/VP9 interframe makes ffmpeg complain`, async () => {
      const segments = feed(createDemuxer(), load(path));
      const init = segments[0] as InitSegment;
      // Non-keyframe cluster starts that hold video at all (an audio-only cluster is harmless).
      const video = (await probePackets(path)).filter((p) => p.kind === "video");
      let at = 0;
      const ranges = segments.map((s) => [at, at += s.bytes.length]);
      const interStarts = segments.flatMap((s, i) => {
        if (s.type !== "media" || !s.start || s.keyframe) return [];
        return video.some((p) => p.pos >= ranges[i][0] && p.pos < ranges[i][1]) ? [i] : [];
      });
      if (interStarts.length === 0) return; // every cluster opens on a keyframe
      // The control that shows the decodability check can fail (H.264 decoders are too lenient).
      let errors = "";
      for (const from of interStarts.slice(0, 3)) {
        errors += await ffmpegErrors(bytesOf([init, ...segments.slice(from)]));
      }
      assert.notEqual(errors, "");
    });
  }

  Deno.test(`${name}: truncated input makes end() throw MediaError`, () => {
    const data = load(path);
    const segments = feed(createDemuxer(), data);
    const random = prng(7);
    // Cut strictly inside the init, an MP4 fragment or a single WebM element.
    let at = 0;
    const inside = segments.flatMap((s) => {
      const a = at;
      at += s.bytes.length;
      const whole = s.type === "init" || !isWebm(path) || !s.start;
      return whole && s.bytes.length > 1 ? [[a, at]] : [];
    });
    for (let i = 0; i < 20; i++) {
      const [a, b] = inside[Math.floor(random() * inside.length)];
      const cut = a + 1 + Math.floor(random() * (b - a - 1));
      const demuxer = createDemuxer();
      demuxer.push(data.subarray(0, cut));
      assert.throws(() => demuxer.end(), MediaError, `cut at ${cut}`);
    }
  });

  Deno.test(`${name}: mutated input gives segments or MediaError, nothing else`, () => {
    const data = load(path);
    for (let seed = 1; seed <= 60; seed++) {
      const random = prng(seed);
      const bad = data.slice();
      const flips = 1 + Math.floor(random() * 8);
      const span = seed % 2 ? 4096 : bad.length; // half the time aim at headers
      for (let i = 0; i < flips; i++) {
        bad[Math.floor(random() * Math.min(span, bad.length))] ^= 1 << Math.floor(random() * 8);
      }
      let emitted = 0;
      try {
        const demuxer = createDemuxer({ maxElementBytes: 1 << 20 });
        for (let i = 0; i < bad.length;) {
          const n = 1 + Math.floor(random() * 9000);
          for (const s of demuxer.push(bad.subarray(i, i + n))) emitted += s.bytes.length;
          i += n;
        }
        for (const s of demuxer.end()) emitted += s.bytes.length;
      } catch (e) {
        if (!(e instanceof MediaError)) throw new Error(`seed ${seed}: ${e}`, { cause: e });
      }
      assert.ok(emitted <= bad.length, `seed ${seed}: emitted ${emitted} bytes`);
    }
  });

  Deno.test(`${name}: a limit below the largest element ends the stream with MediaError`, () => {
    const data = load(path);
    assert.throws(() => feed(createDemuxer({ maxElementBytes: 128 }), data), /limit/);
    // Just below the largest single-element piece (a WebM block or an MP4 fragment).
    const largest = Math.max(
      ...media(feed(createDemuxer(), data)).filter((s) => !s.start || !isWebm(path)).map((s) =>
        s.bytes.length
      ),
    );
    assert.throws(() => feed(createDemuxer({ maxElementBytes: largest - 16 }), data), MediaError);
  });
}

Deno.test("a new stream after the first one gets its own init segment", () => {
  for (const name of ["ffmpeg/vp8-opus-live.webm", "ffmpeg/h264-aac-g30.mp4"]) {
    const one = load(fixturePath(name));
    const segments = feed(createDemuxer(), concat([one, one]), prng(3), 5000);
    const inits = segments.filter((s) => s.type === "init");
    assert.equal(inits.length, 2, name);
    assert.deepStrictEqual(inits[0], inits[1]);
    assert.deepStrictEqual(bytesOf(segments), concat([one, one]));
    assert.equal(media(segments).length, 2 * media(feed(createDemuxer(), one)).length);
  }
});

Deno.test("createDemuxer() refuses what is neither WebM nor MP4, with the bytes and a hint", () => {
  const html = new TextEncoder().encode("<!DOCTYPE html><html>");
  const demuxer = createDemuxer();
  assert.deepStrictEqual(demuxer.push(html.subarray(0, 3)), []);
  assert.throws(() => demuxer.push(html.subarray(3)), (e: unknown) => {
    assert.ok(e instanceof MediaError);
    assert.match(e.message, /^not WebM or fragmented MP4: stream starts with 3c 21 44 4f/);
    assert.match(e.message, /"<!DOCTYP"/);
    assert.match(e.message, /MediaRecorder/);
    return true;
  });
  assert.throws(() => sniff(new Uint8Array(8)), MediaError);
  assert.deepStrictEqual(createDemuxer().end(), []);
  const short = createDemuxer();
  short.push(new Uint8Array([0x1a, 0x45, 0xdf]));
  assert.throws(() => short.end(), MediaError);
});

Deno.test("createDemuxer() survives random garbage behind valid magic", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const random = prng(seed);
    const junk = Uint8Array.from({ length: 1 + Math.floor(random() * 3000) }, () => random() * 256);
    const magic = seed % 2
      ? [0x1a, 0x45, 0xdf, 0xa3]
      : [0, 0, 0, 16, ...new TextEncoder().encode("ftyp")];
    try {
      feed(createDemuxer(), concat([new Uint8Array(magic), junk]), random, 64);
    } catch (e) {
      if (!(e instanceof MediaError)) throw e;
    }
  }
});

Deno.test("ffmpegErrors() reports undecodable input", async () => {
  assert.notEqual(await ffmpegErrors(new TextEncoder().encode("definitely not media")), "");
});

Deno.test("a push much larger than the demuxer's buffer limit is parsed in slices", () => {
  for (const name of ["ffmpeg/vp8-opus-live.webm", "ffmpeg/h264-aac-frag100ms.mp4"]) {
    const one = load(fixturePath(name));
    const many = concat(Array.from({ length: 10 }, () => one));
    const options = { maxElementBytes: 48 * 1024 }; // buffers at most ~160 KiB
    const segments = feed(createDemuxer(options), many);
    assert.deepStrictEqual(bytesOf(segments), many, name);
    assert.deepStrictEqual(segments, feed(createDemuxer(options), many, prng(11), 100_000));
  }
});

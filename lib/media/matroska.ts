/**
 * Matroska element bodies the WebM demuxer needs to understand: Info
 * (TimestampScale), Tracks (track numbers, kinds, codec strings) and block
 * headers (track, relative timecode, keyframe flag, lacing).
 *
 * All functions read complete element bodies in place and throw MediaError
 * naming the stream offset when a body is malformed. Block lacing is validated
 * (frame sizes must fit the block) but frames are never split out: the
 * demuxer forwards blocks untouched.
 */

import { readUint } from "./bytes.ts";
import { av1Codec, avcCodec, hevcCodec } from "./codecs.ts";
import { ElementHeader, Id, idName, readElementHeader, readVint, UNKNOWN_SIZE } from "./ebml.ts";
import { MAX_CODEC_CHARS, UnsupportedCodecError } from "./mime.ts";
import { MediaError, type TrackInfo } from "./segment.ts";

/** Calls `visit` for each child of the element body `bytes[pos, end)`; sizes must be known. */
export function forEachChild(
  bytes: Uint8Array,
  pos: number,
  end: number,
  offset: number,
  visit: (id: number, body: number, size: number) => void,
): void {
  const h = new ElementHeader();
  const base = offset - pos;
  while (pos < end) {
    const headerLength = readElementHeader(bytes, pos, end, base + pos, h);
    if (headerLength === 0 || h.size === UNKNOWN_SIZE || pos + headerLength + h.size > end) {
      throw new MediaError(
        `element ${idName(h.id)} at byte ${base + pos} overruns its parent element`,
      );
    }
    visit(h.id, pos + headerLength, h.size);
    pos += headerLength + h.size;
  }
}

/** TimestampScale (ns per tick) from an Info body; 1,000,000 when absent. */
export function readTimestampScale(
  bytes: Uint8Array,
  pos: number,
  end: number,
  offset: number,
): number {
  let scale = 1_000_000;
  forEachChild(bytes, pos, end, offset, (id, body, size) => {
    if (id === Id.TimestampScale && size <= 8) scale = readUint(bytes, body, size);
  });
  if (scale === 0) throw new MediaError(`TimestampScale of 0 in Info at byte ${offset}`);
  return scale;
}

/** Audio and video tracks from a Tracks body, in file order; other track types are skipped. */
export function readTracks(
  bytes: Uint8Array,
  pos: number,
  end: number,
  offset: number,
): TrackInfo[] {
  const tracks: TrackInfo[] = [];
  forEachChild(bytes, pos, end, offset, (id, entry, entrySize) => {
    if (id !== Id.TrackEntry) return;
    let number = 0, type = 0, codecId = "";
    let codecPrivate: Uint8Array | undefined;
    forEachChild(bytes, entry, entry + entrySize, offset + entry - pos, (id, body, size) => {
      if (id === Id.TrackNumber && size <= 8) number = readUint(bytes, body, size);
      else if (id === Id.TrackType && size <= 8) type = readUint(bytes, body, size);
      else if (id === Id.CodecID) {
        codecId = readCodecId(bytes, body, size, offset + body - pos);
      } else if (id === Id.CodecPrivate) codecPrivate = bytes.subarray(body, body + size);
    });
    if (type !== 1 && type !== 2) return;
    if (number === 0) throw new MediaError(`TrackEntry at byte ${offset} has no TrackNumber`);
    const kind = type === 1 ? "video" : "audio";
    tracks.push({ number, kind, codec: codecString(codecId, codecPrivate) });
  });
  return tracks;
}

/**
 * A CodecID element's text, NUL padding dropped. Capped: codec names are a
 * few characters, and an element of any size must be a clean refusal (a
 * spread of 130 KB into String.fromCharCode overflowed the stack).
 */
function readCodecId(bytes: Uint8Array, body: number, size: number, offset: number): string {
  if (size > MAX_CODEC_CHARS) {
    throw new UnsupportedCodecError(
      `CodecID at byte ${offset} is ${size} bytes, over ${MAX_CODEC_CHARS}; not a codec name`,
    );
  }
  let text = "";
  for (let i = 0; i < size; i++) text += String.fromCharCode(bytes[body + i]);
  return text.replace(/\0+$/, "");
}

/** Maps a Matroska CodecID (+ CodecPrivate) to an RFC 6381 codec string. */
export function codecString(codecId: string, codecPrivate?: Uint8Array): string {
  switch (codecId) {
    case "V_VP8":
      return "vp8";
    case "V_VP9":
      return "vp9";
    case "V_AV1":
      return av1Codec(codecPrivate);
    case "V_MPEG4/ISO/AVC":
      return avcCodec(codecPrivate);
    case "V_MPEGH/ISO/HEVC":
      return hevcCodec(codecPrivate);
    case "A_OPUS":
      return "opus";
    case "A_VORBIS":
      return "vorbis";
    case "A_FLAC":
      return "flac";
    case "A_AAC":
      return "mp4a.40.2";
    default:
      // Passed through so the MIME type names it and a player's refusal is explicit.
      return codecId;
  }
}

/** What a block header says; reused by the demuxer, filled by `readBlock()`. */
export class BlockInfo {
  track = 0;
  /** Timecode relative to the cluster's, in TimestampScale ticks. */
  relativeTime = 0;
  keyframe = false;
}

/**
 * Reads the Block or SimpleBlock body `bytes[pos, end)` into `out`. For a
 * plain Block (inside a BlockGroup) `keyframe` is left to the caller, who
 * knows whether a ReferenceBlock follows.
 */
export function readBlock(
  bytes: Uint8Array,
  pos: number,
  end: number,
  offset: number,
  out: BlockInfo,
): void {
  const track = readVint(bytes, pos, end, offset);
  const trackLength = Number.isNaN(track) ? 0 : Math.clz32(bytes[pos]) - 23;
  if (Number.isNaN(track) || track <= 0 || pos + trackLength + 3 > end) {
    throw new MediaError(`block at byte ${offset} is too short or has no track number`);
  }
  pos += trackLength;
  out.track = track;
  out.relativeTime = ((bytes[pos] << 24) | (bytes[pos + 1] << 16)) >> 16;
  const flags = bytes[pos + 2];
  out.keyframe = (flags & 0x80) !== 0;
  if (flags & 0x06) checkLacing(bytes, pos + 3, end, (flags >> 1) & 3, offset);
}

/** Throws unless the lace header of a laced block describes frames that fit the block. */
function checkLacing(
  bytes: Uint8Array,
  pos: number,
  end: number,
  lacing: number,
  offset: number,
): void {
  const bad = () => new MediaError(`block at byte ${offset} has an invalid lace header`);
  if (pos >= end) throw bad();
  const frames = bytes[pos++] + 1;
  let total = 0;
  if (lacing === 1) { // Xiph: each size but the last as a run of 255s plus a final byte
    for (let i = 0; i < frames - 1; i++) {
      let b;
      do {
        if (pos >= end) throw bad();
        b = bytes[pos++];
        total += b;
      } while (b === 255);
    }
  } else if (lacing === 3 && frames > 1) { // EBML: first size as a vint, then signed differences
    let size = readVint(bytes, pos, end, offset);
    if (Number.isNaN(size) || size < 0) throw bad();
    pos += Math.clz32(bytes[pos]) - 23;
    total = size;
    for (let i = 1; i < frames - 1; i++) {
      const raw = readVint(bytes, pos, end, offset);
      if (Number.isNaN(raw) || raw < 0) throw bad();
      const length = Math.clz32(bytes[pos]) - 23;
      pos += length;
      size += raw - (2 ** (7 * length - 1) - 1);
      if (size < 0) throw bad();
      total += size;
    }
  } else if (lacing === 2 && (end - pos) % frames !== 0) { // fixed: equal sizes
    throw bad();
  }
  if (total > end - pos) throw bad();
}

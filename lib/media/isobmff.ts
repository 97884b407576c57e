/**
 * ISO BMFF (MP4) boxes the fragmented-MP4 demuxer needs to understand: box
 * headers (32- and 64-bit sizes), the track list in moov (kind, timescale,
 * codec, trex defaults) and the first sample of each track fragment in moof
 * (sync flag, base decode time, duration).
 *
 * All readers work on complete boxes in place and throw MediaError naming the
 * stream offset when a box is malformed; a box whose type is not four
 * printable ASCII characters counts as malformed, which catches most garbage.
 */

import { hex, readFourCC, readU32, readUint } from "./bytes.ts";
import { av1Codec, avcCodec, hevcCodec, mp4aCodec, vp9Codec } from "./codecs.ts";
import { MediaError, type TrackInfo } from "./segment.ts";

/** What to tell a publisher who sends a plain (non-fragmented) MP4. */
export const FRAGMENT_HINT = "record fragmented MP4 (MediaRecorder with a timeslice, or ffmpeg " +
  "-movflags frag_keyframe+empty_moov+default_base_moof)";

/** A parsed box header; reused by callers. `size` includes the header. */
export class BoxHeader {
  type = "";
  size = 0;
  headerLength = 0;
}

/**
 * Reads the box header at `bytes[pos]` into `out`; returns its length, or 0
 * when `end` cuts it short. Size 0 ("to end of file") is refused: a live
 * stream has no end to run to.
 */
export function readBoxHeader(
  bytes: Uint8Array,
  pos: number,
  end: number,
  offset: number,
  out: BoxHeader,
): number {
  if (end - pos < 8) return 0;
  for (let i = 4; i < 8; i++) {
    const c = bytes[pos + i];
    if (c < 0x20 || c > 0x7e) {
      throw new MediaError(
        `MP4: invalid box type at byte ${offset + 4}: ${hex(bytes.subarray(pos, pos + 8))}`,
      );
    }
  }
  let size = readU32(bytes, pos);
  let headerLength = 8;
  if (size === 1) {
    if (end - pos < 16) return 0;
    size = readUint(bytes, pos + 8, 8);
    headerLength = 16;
  }
  out.type = readFourCC(bytes, pos + 4);
  if (size === 0) {
    throw new MediaError(`MP4: box '${out.type}' at byte ${offset} runs to end of stream (size 0)`);
  }
  if (size < headerLength) {
    throw new MediaError(`MP4: box '${out.type}' at byte ${offset} has invalid size ${size}`);
  }
  out.size = size;
  out.headerLength = headerLength;
  return headerLength;
}

/** Calls `visit` for each box inside `bytes[pos, end)`; boxes must fit exactly. */
export function forEachBox(
  bytes: Uint8Array,
  pos: number,
  end: number,
  offset: number,
  visit: (type: string, body: number, bodyEnd: number) => void,
): void {
  const h = new BoxHeader();
  const base = offset - pos;
  while (pos < end) {
    if (readBoxHeader(bytes, pos, end, base + pos, h) === 0 || pos + h.size > end) {
      throw new MediaError(`MP4: box at byte ${base + pos} overruns its parent box`);
    }
    visit(h.type, pos + h.headerLength, pos + h.size);
    pos += h.size;
  }
}

/** A track as moov describes it. */
export interface Mp4Track extends TrackInfo {
  timescale: number;
  /** trex default_sample_flags, used when a fragment gives none. */
  defaultFlags: number;
  defaultDuration: number;
}

/** Audio and video tracks from a moov body, in file order. Throws if moov has no mvex. */
export function readMoov(bytes: Uint8Array, pos: number, end: number, offset: number): Mp4Track[] {
  const tracks: Mp4Track[] = [];
  const trex = new Map<number, { flags: number; duration: number }>();
  const at = (p: number) => offset + p - pos;
  const need = (p: number, n: number, boxEnd: number, box: string) => {
    if (p + n > boxEnd) throw new MediaError(`MP4: '${box}' at byte ${at(p)} is too short`);
  };
  let fragmented = false;
  forEachBox(bytes, pos, end, offset, (type, body, bodyEnd) => {
    if (type === "mvex") {
      fragmented = true;
      forEachBox(bytes, body, bodyEnd, at(body), (type, body, bodyEnd) => {
        if (type !== "trex") return;
        need(body, 24, bodyEnd, type);
        trex.set(readU32(bytes, body + 4), {
          duration: readU32(bytes, body + 12),
          flags: readU32(bytes, body + 20),
        });
      });
    }
    if (type !== "trak") return;
    let number = 0, timescale = 0, handler = "", codec = "";
    const walk = (type: string, body: number, bodyEnd: number) => {
      if (type === "mdia" || type === "minf" || type === "stbl") {
        forEachBox(bytes, body, bodyEnd, at(body), walk);
      } else if (type === "tkhd") {
        const v1 = bytes[body] === 1;
        need(body, v1 ? 24 : 16, bodyEnd, type);
        number = readU32(bytes, body + (v1 ? 20 : 12));
      } else if (type === "mdhd") {
        const v1 = bytes[body] === 1;
        need(body, v1 ? 24 : 16, bodyEnd, type);
        timescale = readU32(bytes, body + (v1 ? 20 : 12));
      } else if (type === "hdlr") {
        need(body, 12, bodyEnd, type);
        handler = readFourCC(bytes, body + 8);
      } else if (type === "stsd") {
        need(body, 8, bodyEnd, type);
        let first = true;
        forEachBox(bytes, body + 8, bodyEnd, at(body + 8), (type, entry, entryEnd) => {
          if (first) codec = sampleEntryCodec(bytes, type, entry, entryEnd, at(entry));
          first = false;
        });
      }
    };
    forEachBox(bytes, body, bodyEnd, at(body), walk);
    if (handler !== "vide" && handler !== "soun") return;
    if (timescale === 0) throw new MediaError(`MP4: track ${number} has no mdhd timescale`);
    const kind = handler === "vide" ? "video" : "audio";
    tracks.push({ number, kind, codec, timescale, defaultFlags: 0, defaultDuration: 0 });
  });
  if (!fragmented) {
    throw new MediaError(
      `MP4: moov has no mvex, so this is not a fragmented MP4; ${FRAGMENT_HINT}`,
    );
  }
  for (const track of tracks) {
    track.defaultFlags = trex.get(track.number)?.flags ?? 0;
    track.defaultDuration = trex.get(track.number)?.duration ?? 0;
  }
  return tracks;
}

function sampleEntryCodec(
  bytes: Uint8Array,
  type: string,
  body: number,
  end: number,
  offset: number,
): string {
  const boxes = new Map<string, Uint8Array>();
  const collect = (childStart: number) => {
    if (childStart >= end) return;
    forEachBox(bytes, childStart, end, offset + childStart - body, (type, b, e) => {
      boxes.set(type, bytes.subarray(b, e));
    });
  };
  switch (type) {
    case "avc1":
    case "avc3":
      collect(body + 78);
      return avcCodec(boxes.get("avcC"), type);
    case "hvc1":
    case "hev1":
      collect(body + 78);
      return hevcCodec(boxes.get("hvcC"), type);
    case "vp09":
      collect(body + 78);
      return vp9Codec(boxes.get("vpcC"));
    case "av01":
      collect(body + 78);
      return av1Codec(boxes.get("av1C"));
    case "mp4a": {
      // QuickTime sound descriptions v1/v2 carry 16/36 more bytes before the child boxes.
      const version = end - body >= 10 ? (bytes[body + 8] << 8) | bytes[body + 9] : 0;
      collect(body + 28 + (version === 1 ? 16 : version === 2 ? 36 : 0));
      return mp4aCodec(boxes.get("esds"));
    }
    case "Opus":
      return "opus";
    case "fLaC":
      return "flac";
    default:
      return type.trim();
  }
}

/** What one traf says about its track's first sample; filled by `readTraf()`. */
export interface TrafInfo {
  track: number;
  /** tfdt baseMediaDecodeTime, or NaN when absent. */
  baseTime: number;
  /** Flags of the first sample, or NaN when the fragment gives none (use trex). */
  firstFlags: number;
  /** Sum of the sample durations that trun states, in timescale units. */
  duration: number;
  /** Samples whose duration trun leaves to `defaultDuration`. */
  defaultedSamples: number;
  /** tfhd default_sample_duration, or NaN when absent (use trex). */
  defaultDuration: number;
  samples: number;
}

/** Reads a traf body: track, base decode time, first sample flags, durations. */
export function readTraf(bytes: Uint8Array, pos: number, end: number, offset: number): TrafInfo {
  const info: TrafInfo = {
    track: 0,
    baseTime: NaN,
    firstFlags: NaN,
    duration: 0,
    defaultedSamples: 0,
    defaultDuration: NaN,
    samples: 0,
  };
  let defaultFlags = NaN;
  const at = (p: number) => offset + p - pos;
  const tooShort = (box: string, p: number) =>
    new MediaError(`MP4: '${box}' at byte ${at(p)} is too short`);
  forEachBox(bytes, pos, end, offset, (type, body, bodyEnd) => {
    if (type === "tfhd") {
      const flags = readUint(bytes, body + 1, 3);
      let p = body + 8;
      if (flags & 0x01) p += 8; // base_data_offset
      if (flags & 0x02) p += 4; // sample_description_index
      if (flags & 0x08) info.defaultDuration = readU32(bytes, (p += 4) - 4);
      if (flags & 0x10) p += 4; // default_sample_size
      if (flags & 0x20) defaultFlags = readU32(bytes, (p += 4) - 4);
      if (p > bodyEnd) throw tooShort(type, body);
      info.track = readU32(bytes, body + 4);
    } else if (type === "tfdt") {
      const v1 = bytes[body] === 1;
      if (body + (v1 ? 12 : 8) > bodyEnd) throw tooShort(type, body);
      info.baseTime = readUint(bytes, body + 4, v1 ? 8 : 4);
    } else if (type === "trun") {
      if (body + 8 > bodyEnd) throw tooShort(type, body);
      const flags = readUint(bytes, body + 1, 3);
      const count = readU32(bytes, body + 4);
      let p = body + 8;
      if (flags & 0x01) p += 4; // data_offset
      const firstSampleFlags = flags & 0x04 ? readU32(bytes, p) : NaN;
      if (flags & 0x04) p += 4;
      const fields = ((flags >> 8) & 1) + ((flags >> 9) & 1) + ((flags >> 10) & 1) +
        ((flags >> 11) & 1);
      if (p + count * fields * 4 > bodyEnd) throw tooShort(type, body);
      if (info.samples === 0 && count > 0) {
        const sampleFlagsAt = p + 4 * (((flags >> 8) & 1) + ((flags >> 9) & 1));
        info.firstFlags = !Number.isNaN(firstSampleFlags)
          ? firstSampleFlags
          : flags & 0x400
          ? readU32(bytes, sampleFlagsAt)
          : defaultFlags;
      }
      if (flags & 0x100) {
        for (let i = 0; i < count; i++) info.duration += readU32(bytes, p + i * fields * 4);
      } else info.defaultedSamples += count;
      info.samples += count;
    }
  });
  return info;
}

/**
 * Picks the demuxer for a publisher's stream from its first bytes: the EBML
 * magic 1A 45 DF A3 means WebM, an ftyp/styp/moov/moof box type at offset 4
 * means fragmented MP4, anything else is refused with a MediaError that shows
 * the bytes and says what to send instead.
 */

import { hex, printable } from "./bytes.ts";
import { Mp4Demuxer } from "./mp4.ts";
import type { DemuxerOptions } from "./options.ts";
import { type Demuxer, MediaError, type Segment } from "./segment.ts";
import { WebmDemuxer } from "./webm.ts";

export type { DemuxerOptions } from "./options.ts";

const SNIFF_BYTES = 8;
const MP4_TYPES = new Set(["ftyp", "styp", "moov", "moof"]);

/** A Demuxer that becomes a WebmDemuxer or Mp4Demuxer once the first 8 bytes are in. */
export function createDemuxer(options: DemuxerOptions = {}): Demuxer {
  let inner: Demuxer | undefined;
  let head = new Uint8Array(0);
  const start = (bytes: Uint8Array): Segment[] => {
    inner = sniff(bytes, options);
    return inner.push(bytes);
  };
  return {
    push(chunk: Uint8Array): Segment[] {
      if (inner) return inner.push(chunk);
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      if (joined.length < SNIFF_BYTES) {
        head = joined;
        return [];
      }
      return start(joined);
    },
    end(): Segment[] {
      if (inner) return inner.end();
      if (head.length === 0) return [];
      // Too short to sniff: let sniffing explain, or the demuxer report truncation.
      return [...start(head), ...inner!.end()];
    },
  };
}

/** The demuxer for a stream starting with `head` (at least 8 bytes for a sure answer). */
export function sniff(head: Uint8Array, options: DemuxerOptions = {}): Demuxer {
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return new WebmDemuxer(options);
  }
  const type = printable(head.subarray(4, 8));
  if (MP4_TYPES.has(type)) return new Mp4Demuxer(options);
  throw new MediaError(
    `not WebM or fragmented MP4: stream starts with ${hex(head.subarray(0, 8))} ` +
      `("${printable(head.subarray(0, 8))}"); send MediaRecorder output recorded as ` +
      `video/webm or fragmented video/mp4, starting from its first chunk`,
  );
}

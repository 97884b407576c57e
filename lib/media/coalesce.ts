/**
 * Merges the media pieces of one push into as few segments as possible, so
 * viewers get one message per push instead of one per Matroska block.
 *
 * A merged segment is a run of pieces where only the first may be a `start`
 * piece; it keeps that first piece's start, keyframe and timestampMs, so a
 * keyframe start always stays at the front of a segment where a new viewer
 * can join. Init segments are passed through and never merged. Pieces that
 * are back-to-back views of one buffer (as the WebM demuxer cuts them from one
 * copy per push) merge into a wider view without copying; otherwise a merged
 * segment costs one allocation and one copy. A lone piece is passed as is.
 */

import type { MediaSegment, Segment } from "./segment.ts";

export function coalesce(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < segments.length;) {
    const first = segments[i];
    let j = i + 1;
    let length = first.bytes.length;
    if (first.type === "media") {
      for (; j < segments.length; j++) {
        const next = segments[j];
        if (next.type !== "media" || next.start) break;
        length += next.bytes.length;
      }
    }
    if (j === i + 1) {
      out.push(first);
    } else if (adjacent(segments, i, j)) {
      // Pieces cut from one parser copy: a wider view of it costs nothing.
      const b = first.bytes;
      out.push({
        ...(first as MediaSegment),
        bytes: new Uint8Array(b.buffer, b.byteOffset, length),
      });
    } else {
      const bytes = new Uint8Array(length);
      let at = 0;
      for (let k = i; k < j; k++) {
        bytes.set(segments[k].bytes, at);
        at += segments[k].bytes.length;
      }
      const merged: MediaSegment = { ...(first as MediaSegment), bytes };
      out.push(merged);
    }
    i = j;
  }
  return out;
}

/** True when pieces i..j-1 are back-to-back views of one buffer. */
function adjacent(segments: readonly Segment[], i: number, j: number): boolean {
  for (let k = i + 1; k < j; k++) {
    const a = segments[k - 1].bytes, b = segments[k].bytes;
    if (a.buffer !== b.buffer || a.byteOffset + a.length !== b.byteOffset) return false;
  }
  return true;
}

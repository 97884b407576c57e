/**
 * EBML, the binary format under Matroska and WebM: variable-size integers
 * (vints) and element headers (ID vint + size vint).
 *
 * A vint's length is one plus the number of leading zero bits of its first
 * byte (1-8). IDs keep their length marker bits (Cluster is 0x1F43B675) and are
 * at most 4 bytes long in Matroska; sizes drop the marker, and a size whose
 * value bits are all ones means "unknown size" (live streams use it for
 * Segment and Cluster). Readers return 0 when more bytes are needed and throw
 * MediaError, naming the stream offset, when bytes cannot be EBML.
 */

import { hex } from "./bytes.ts";
import { MediaError } from "./segment.ts";

/** `ElementHeader.size` of an element of unknown size. */
export const UNKNOWN_SIZE = -1;

/** Element IDs the parsers care about (with marker bits, as written). */
export const Id = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  SilentTracks: 0x5854,
  Position: 0xa7,
  PrevSize: 0xab,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  ReferenceBlock: 0xfb,
  EncryptedBlock: 0xaf,
  Cues: 0x1c53bb6b,
  Attachments: 0x1941a469,
  Chapters: 0x1043a770,
  Tags: 0x1254c367,
  Void: 0xec,
  CRC32: 0xbf,
} as const;

/** A parsed element header; reused by callers to avoid an allocation per element. */
export class ElementHeader {
  id = 0;
  /** Body size in bytes, or UNKNOWN_SIZE. */
  size = 0;
  /** Bytes taken by the ID and size vints. */
  headerLength = 0;
}

/** Length (1-8) of the vint starting with `first`, or 0 if `first` is 0x00 (invalid). */
export function vintLength(first: number): number {
  return first === 0 ? 0 : Math.clz32(first) - 23;
}

/**
 * Reads the vint at `pos` without its marker bit (as sizes and block track
 * numbers are stored). Returns the value, UNKNOWN_SIZE when all value bits are
 * ones, or NaN when `end` cuts it short. Throws on a 0x00 first byte.
 */
export function readVint(bytes: Uint8Array, pos: number, end: number, offset: number): number {
  if (pos >= end) return NaN;
  const length = vintLength(bytes[pos]);
  if (length === 0) throw invalid("variable-size integer", bytes, pos, end, offset);
  if (pos + length > end) return NaN;
  let value = bytes[pos] & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = bytes[pos + i];
    value = value * 256 + b;
    allOnes &&= b === 0xff;
  }
  return allOnes ? UNKNOWN_SIZE : value;
}

/**
 * Reads the element header at `bytes[pos]` into `out`. Returns the header
 * length, or 0 if `end` cuts the header short. `offset` is the stream position
 * of `bytes[pos]`, used in error messages.
 */
export function readElementHeader(
  bytes: Uint8Array,
  pos: number,
  end: number,
  offset: number,
  out: ElementHeader,
): number {
  if (pos >= end) return 0;
  const idLength = vintLength(bytes[pos]);
  if (idLength === 0 || idLength > 4) throw invalid("element ID", bytes, pos, end, offset);
  if (pos + idLength >= end) return 0;
  let id = 0;
  for (let i = 0; i < idLength; i++) id = id * 256 + bytes[pos + i];
  const sizeLength = vintLength(bytes[pos + idLength]);
  const size = readVint(bytes, pos + idLength, end, offset + idLength);
  if (Number.isNaN(size)) return 0;
  out.id = id;
  out.size = size;
  out.headerLength = idLength + sizeLength;
  return out.headerLength;
}

/** Human-readable element ID for messages, e.g. "0x1F43B675". */
export function idName(id: number): string {
  return "0x" + id.toString(16).toUpperCase();
}

function invalid(
  what: string,
  bytes: Uint8Array,
  pos: number,
  end: number,
  offset: number,
): MediaError {
  const shown = hex(bytes.subarray(pos, Math.min(end, pos + 8)));
  return new MediaError(`invalid EBML ${what} at byte ${offset}: ${shown}`);
}

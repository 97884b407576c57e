/**
 * Test-only builder for small synthetic Matroska streams (not part of the
 * library): elements with 8-byte sizes, unknown-size containers, blocks.
 */

import { concat } from "./_testing.ts";

type Part = Uint8Array | number[];

export const UNKNOWN = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

function idBytes(id: number): number[] {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return out;
}

function size8(n: number): number[] {
  const out = [0x01];
  for (let i = 6; i >= 0; i--) out.push(Math.floor(n / 2 ** (8 * i)) % 256);
  return out;
}

const bytes = (parts: Part[]) =>
  concat(parts.map((p) => p instanceof Uint8Array ? p : new Uint8Array(p)));

/** An element with an 8-byte size vint. */
export function el(id: number, ...parts: Part[]): Uint8Array {
  const body = bytes(parts);
  return concat([new Uint8Array([...idBytes(id), ...size8(body.length)]), body]);
}

/** An element header with unknown size followed by its children. */
export function open(id: number, ...parts: Part[]): Uint8Array {
  return bytes([[...idBytes(id), ...UNKNOWN], ...parts]);
}

export function uint(id: number, value: number): Uint8Array {
  return el(id, [(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
}

export function str(id: number, s: string): Uint8Array {
  return el(id, new TextEncoder().encode(s));
}

/** A SimpleBlock (or, with `id` 0xA1, a Block) body: track, relative time, flags, payload. */
export function block(track: number, time: number, flags: number, payload: Part = [1, 2, 3]) {
  return bytes([[0x80 | track, (time >> 8) & 255, time & 255, flags], payload]);
}

export const ebmlHeader = () => el(0x1a45dfa3, str(0x4282, "webm"));

/** EBML header + unknown-size Segment + Info + Tracks (1: VP8 video, 2: Opus audio). */
export function streamHead(
  { video = true, scale = 1_000_000 }: { video?: boolean; scale?: number } = {},
): Uint8Array {
  const tracks = [
    ...(video ? [el(0xae, uint(0xd7, 1), uint(0x83, 1), str(0x86, "V_VP8"))] : []),
    el(0xae, uint(0xd7, 2), uint(0x83, 2), str(0x86, "A_OPUS")),
  ];
  return bytes([
    ebmlHeader(),
    open(0x18538067),
    el(0x1549a966, uint(0x2ad7b1, scale)),
    el(0x1654ae6b, ...tracks),
  ]);
}

/** An unknown-size Cluster with a Timestamp and the given children. */
export function cluster(time: number, ...children: Part[]): Uint8Array {
  return open(0x1f43b675, uint(0xe7, time), ...children);
}

export const simple = (track: number, time: number, key: boolean) =>
  el(0xa3, block(track, time, key ? 0x80 : 0));

/** A live WebM whose tracks carry the given CodecID bytes (track 1 video, the rest audio). */
export function webmWithCodecs(codecIds: Uint8Array[]): Uint8Array {
  const entries = codecIds.map((id, i) =>
    el(
      0xae,
      uint(0xd7, i + 1),
      uint(0x83, i === 0 ? 1 : 2),
      el(0x86, id),
    )
  );
  return concat([
    ebmlHeader(),
    open(0x18538067),
    el(0x1549a966, uint(0x2ad7b1, 1_000_000)),
    el(0x1654ae6b, ...entries),
    cluster(0, simple(1, 0, true)),
  ]);
}

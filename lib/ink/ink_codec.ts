/**
 * Ink points on the wire: a stroke's points quantized to half a board pixel
 * (boards are 1280×720, so 2560×1440 steps) and pressure to 1/63, then
 * delta-encoded as zigzag varints and written as unpadded base64url. Per
 * point: `dx·2 + (pressure changed ? 1 : 0)`, `dy`, then `dp` only when it
 * changed. A pen moving at a steady pace changes by a few steps per sample,
 * so a point costs two bytes (a mouse, constant pressure) or three (a pen):
 * a one-second stroke of 60 samples is 160–240 characters. Every chunk starts from (0, 0, 0), so chunks
 * decode on their own and in any grouping (`joinPoints`).
 *
 * Shared by the studio (encode), the server (validate, merge) and viewers
 * (decode). Pure: no DOM, no Deno.
 */

/** A point in board pixels with pressure 0…1, as the whiteboard keeps it. */
export interface InkPoint {
  x: number;
  y: number;
  p: number;
}

/** Board coordinates are multiplied by this before rounding. */
export const XY_STEPS_PER_PX = 2;
/** Pressure 0…1 becomes 0…PRESSURE_STEPS. */
export const PRESSURE_STEPS = 63;
/** Most points one encoded chunk may hold (a stroke can span many chunks). */
export const MAX_CHUNK_POINTS = 2048;
/** Coordinates are clamped to ±this many board pixels (strokes may leave the board a little). */
const MAX_PX = 8192;

export class InkCodecError extends Error {}

/** The integer steps a point is sent as. */
export function quantize(point: InkPoint): [number, number, number] {
  const clamp = (v: number, lo: number, hi: number) =>
    Math.min(hi, Math.max(lo, Number.isFinite(v) ? v : 0));
  return [
    Math.round(clamp(point.x, -MAX_PX, MAX_PX) * XY_STEPS_PER_PX),
    Math.round(clamp(point.y, -MAX_PX, MAX_PX) * XY_STEPS_PER_PX),
    Math.round(clamp(point.p, 0, 1) * PRESSURE_STEPS),
  ];
}

/** Encodes points (quantized here) as a base64url string; "" for none. */
export function encodePoints(points: readonly InkPoint[]): string {
  const bytes: number[] = [];
  let px = 0, py = 0, pp = 0;
  for (const point of points) {
    const [x, y, p] = quantize(point);
    varint(bytes, zigzag(x - px) * 2 + (p !== pp ? 1 : 0));
    varint(bytes, zigzag(y - py));
    if (p !== pp) varint(bytes, zigzag(p - pp));
    px = x, py = y, pp = p;
  }
  return toBase64Url(bytes);
}

/**
 * Decodes what `encodePoints` made. Throws InkCodecError on anything else
 * (bad characters, a cut varint, an incomplete point, too many points).
 */
export function decodePoints(text: string, maxPoints = MAX_CHUNK_POINTS): InkPoint[] {
  const bytes = fromBase64Url(text);
  const out: InkPoint[] = [];
  let at = 0, x = 0, y = 0, p = 0;
  const unsigned = (): number => {
    let value = 0, shift = 0;
    while (true) {
      if (at >= bytes.length) throw new InkCodecError("ink points end in the middle of a number");
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new InkCodecError("ink point delta too large");
    }
    return value;
  };
  const signed = (value: number) => (value % 2 === 0 ? value / 2 : -(value + 1) / 2);
  while (at < bytes.length) {
    if (out.length >= maxPoints) throw new InkCodecError(`more than ${maxPoints} ink points`);
    const first = unsigned();
    x += signed(Math.floor(first / 2));
    y += signed(unsigned());
    if (first % 2 === 1) p += signed(unsigned());
    if (Math.abs(x) > MAX_PX * XY_STEPS_PER_PX || Math.abs(y) > MAX_PX * XY_STEPS_PER_PX) {
      throw new InkCodecError("ink point outside the board");
    }
    if (p < 0 || p > PRESSURE_STEPS) throw new InkCodecError("ink pressure outside 0…1");
    out.push({ x: x / XY_STEPS_PER_PX, y: y / XY_STEPS_PER_PX, p: p / PRESSURE_STEPS });
  }
  return out;
}

/** One encoding of several chunks' points (e.g. a finished stroke's). */
export function joinPoints(chunks: readonly string[]): string {
  return encodePoints(chunks.flatMap((c) => decodePoints(c, Infinity)));
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function varint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const INDEX = new Map([...ALPHABET].map((c, i) => [c, i]));

function toBase64Url(bytes: readonly number[]): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

function fromBase64Url(text: string): number[] {
  if (text.length % 4 === 1) throw new InkCodecError("ink points are not valid base64url");
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 4) {
    const group = text.slice(i, i + 4);
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const v = k < group.length ? INDEX.get(group[k]) : 0;
      if (v === undefined) throw new InkCodecError("ink points are not valid base64url");
      n = (n << 6) | v;
    }
    out.push((n >> 16) & 255);
    if (group.length > 2) out.push((n >> 8) & 255);
    if (group.length > 3) out.push(n & 255);
  }
  return out;
}

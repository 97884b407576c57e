/**
 * Writing EBML: element IDs, size vints and the few element kinds the
 * recorder produces (unsigned integers, floats, containers, Void). Pure.
 *
 * Sizes the recorder patches later are written as fixed 8-byte vints
 * (`0x01` + 7 bytes), so a patch never moves a byte after them.
 */

/** The 8-byte "unknown size" vint (all value bits ones). */
export const UNKNOWN_SIZE_8 = new Uint8Array([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

/** The bytes of an element ID (IDs keep their marker bits, 1-4 bytes). */
export function idBytes(id: number): Uint8Array {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return new Uint8Array(out);
}

/** A size vint in the shortest length that holds `n` (all-ones values are avoided). */
export function sizeVint(n: number): Uint8Array {
  for (let length = 1; length <= 8; length++) {
    if (n < 2 ** (7 * length) - 1) return sizeVintOf(n, length);
  }
  throw new RangeError(`element size ${n} too large for EBML`);
}

/** A size vint of exactly `length` bytes. */
export function sizeVintOf(n: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = n;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0] |= 0x80 >> (length - 1);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.byteLength;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** A container or binary element around `body`. */
export function element(id: number, ...body: Uint8Array[]): Uint8Array {
  const inner = concatBytes(body);
  return concatBytes([idBytes(id), sizeVint(inner.byteLength), inner]);
}

/** An unsigned integer element in the fewest bytes (at least one). */
export function uintElement(id: number, value: number): Uint8Array {
  const digits: number[] = [];
  let v = value;
  do {
    digits.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return element(id, new Uint8Array(digits));
}

/** An unsigned integer element whose value always takes 8 bytes (so it can be patched). */
export function uint8Element(id: number, value: number): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setBigUint64(0, BigInt(value));
  return element(id, body);
}

/** A float element (8-byte IEEE 754, big-endian). */
export function floatElement(id: number, value: number): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setFloat64(0, value);
  return element(id, body);
}

/** A Void element taking exactly `total` bytes (2 to 127+1). */
export function voidElement(total: number): Uint8Array {
  if (total < 2 || total > 128) throw new RangeError(`a Void of ${total} bytes is not supported`);
  const out = new Uint8Array(total);
  out[0] = 0xec;
  out[1] = 0x80 | (total - 2);
  return out;
}

/**
 * Room ids and keys from an injectable random source, and the constant-time
 * key comparison. Keys are secrets: never log them, never put them in URLs.
 */

/** Fills `bytes` with random values and returns them (crypto.getRandomValues by default). */
export type RandomSource = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

export const cryptoRandom: RandomSource = (bytes) => {
  crypto.getRandomValues(bytes);
  return bytes;
};

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Unpadded base64url (RFC 4648 §5). */
export function base64url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) out += ALPHABET[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

/** A URL-safe room id: 72 random bits as 12 base64url characters. */
export function newRoomId(random: RandomSource = cryptoRandom): string {
  return base64url(random(new Uint8Array(9)));
}

/** A room key: 144 random bits as 24 base64url characters. */
export function newRoomKey(random: RandomSource = cryptoRandom): string {
  return base64url(random(new Uint8Array(18)));
}

/**
 * True when `candidate` equals `secret`. Takes time that depends only on the
 * secret's length, not on where the strings differ: every code unit is
 * compared and differences are OR-accumulated, never returned early.
 */
export function constantTimeEqual(candidate: string, secret: string): boolean {
  let diff = candidate.length ^ secret.length;
  for (let i = 0; i < secret.length; i++) {
    // charCodeAt past the end is NaN, and NaN | 0 is 0: a short candidate still costs a full loop.
    diff |= (candidate.charCodeAt(i) | 0) ^ secret.charCodeAt(i);
  }
  return diff === 0;
}

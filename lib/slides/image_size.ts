/**
 * The pixel size and type of an uploaded slide image, read from its header
 * (JPEG frame header, WebP VP8/VP8L/VP8X chunk), so the server checks what it
 * stores instead of trusting a Content-Type. Pure.
 */

export interface ImageInfo {
  type: "image/jpeg" | "image/webp";
  w: number;
  h: number;
}

/** The image's type and size, or null when it is not a JPEG or WebP we can read. */
export function imageInfo(b: Uint8Array): ImageInfo | null {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  if (b.length > 16 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") return webp(b);
  return null;
}

function ascii(b: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...b.subarray(at, at + n));
}

function jpeg(b: Uint8Array): ImageInfo | null {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = (b[at + 2] << 8) | b[at + 3];
    // SOF0…SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const h = (b[at + 5] << 8) | b[at + 6];
      const w = (b[at + 7] << 8) | b[at + 8];
      return w > 0 && h > 0 ? { type: "image/jpeg", w, h } : null;
    }
    if (length < 2) return null;
    at += 2 + length;
  }
  return null;
}

function webp(b: Uint8Array): ImageInfo | null {
  const chunk = ascii(b, 12, 4);
  const at = 20;
  if (chunk === "VP8 " && b.length >= at + 10) {
    if (b[at + 3] !== 0x9d || b[at + 4] !== 0x01 || b[at + 5] !== 0x2a) return null;
    const w = ((b[at + 7] << 8) | b[at + 6]) & 0x3fff;
    const h = ((b[at + 9] << 8) | b[at + 8]) & 0x3fff;
    return w > 0 && h > 0 ? { type: "image/webp", w, h } : null;
  }
  if (chunk === "VP8L" && b.length >= at + 5) {
    if (b[at] !== 0x2f) return null;
    const bits = b[at + 1] | (b[at + 2] << 8) | (b[at + 3] << 16) | (b[at + 4] << 24);
    return { type: "image/webp", w: (bits & 0x3fff) + 1, h: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X" && b.length >= at + 10) {
    const w = 1 + (b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16));
    const h = 1 + (b[at + 7] | (b[at + 8] << 8) | (b[at + 9] << 16));
    return { type: "image/webp", w, h };
  }
  return null;
}

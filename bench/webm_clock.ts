/**
 * Reads the block timestamps out of a WebM byte stream as it arrives, for the
 * HTTP fan-out load generator: it needs to know which frame each viewer just
 * received without paying for a full demuxer per viewer. It walks element
 * headers and skips payloads by their sizes, so the cost is per element, not
 * per byte. Assumes the default TimecodeScale (1 ms), as ffmpeg and browsers
 * write it.
 */

const SEGMENT = 0x18538067;
const CLUSTER = 0x1f43b675;
const TIMECODE = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;
/** Elements whose children we walk into instead of skipping. */
const CONTAINERS = new Set([SEGMENT, CLUSTER, BLOCK_GROUP]);
/** Longest header we ever need: id (4) + size (8) + block track (8) + timecode (2). */
const MAX_HEAD = 22;

/** Calls `onBlock(timestampMs)` for every SimpleBlock or Block in the bytes pushed. */
export class WebmClock {
  #skip = 0;
  #carry = new Uint8Array(0);
  #clusterMs = 0;

  constructor(readonly onBlock: (timestampMs: number) => void) {}

  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - pos);
        this.#skip -= n;
        pos += n;
        continue;
      }
      const carried = this.#carry.length;
      const head = new Uint8Array(carried + Math.min(MAX_HEAD, chunk.length - pos));
      head.set(this.#carry);
      head.set(chunk.subarray(pos, pos + head.length - carried), carried);
      const used = this.#element(head);
      if (used < 0) {
        this.#carry = head; // incomplete header: wait for more bytes
        return;
      }
      this.#carry = new Uint8Array(0);
      pos += used - carried;
    }
  }

  /** Parses one element header at the start of `b`; returns bytes consumed or -1 if incomplete. */
  #element(b: Uint8Array): number {
    const id = vint(b, 0, true);
    if (!id) return -1;
    const size = vint(b, id.length, false);
    if (!size) return -1;
    let at = id.length + size.length;
    if (CONTAINERS.has(id.value)) return at;
    if (size.unknown) throw new Error(`unknown-size element ${id.value.toString(16)}`);
    if (id.value === TIMECODE) {
      if (b.length < at + size.value) return -1;
      let v = 0;
      for (let i = 0; i < size.value; i++) v = v * 256 + b[at + i];
      this.#clusterMs = v;
      return at + size.value;
    }
    if (id.value === SIMPLE_BLOCK || id.value === BLOCK) {
      const track = vint(b, at, false);
      if (!track || b.length < at + track.length + 2) return -1;
      const rel = (b[at + track.length] << 24 >> 16) | b[at + track.length + 1];
      this.onBlock(this.#clusterMs + rel);
      at += track.length + 2;
      this.#skip = size.value - track.length - 2;
      return at;
    }
    this.#skip = size.value;
    return at;
  }
}

function vint(
  b: Uint8Array,
  at: number,
  keepMarker: boolean,
): { value: number; length: number; unknown: boolean } | null {
  if (at >= b.length) return null;
  const first = b[at];
  let length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
  if (length > 8) throw new Error("bad EBML length");
  if (at + length > b.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let ones = value === (0xff >> length);
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i];
    if (b[at + i] !== 0xff) ones = false;
  }
  return { value, length, unknown: !keepMarker && ones };
}

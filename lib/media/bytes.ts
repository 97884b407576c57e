/**
 * A bounded FIFO of stream bytes for the incremental parsers, plus big-endian
 * readers over plain `Uint8Array`s.
 *
 * Parsers append what arrives, read in place through `bytes`/`start` (no copy
 * per element), and `take()` a copy only when they emit a segment, so every
 * byte is copied at most twice: once in, once out. The queue refuses to hold
 * more than `limit` bytes; callers feed big chunks in pieces of at most
 * `room()` bytes and parse between pieces, so memory stays bounded whatever
 * the chunking. Invariant: `bytes[start .. start + length)` are the buffered
 * bytes and `offset` is the stream position of `bytes[start]`.
 *
 * The backing store grows by doubling and never shrinks while the queue is in
 * use; each growth is reported to `memory` first, which may refuse it.
 */
import type { ParserMemory } from "./options.ts";

const MIN_CAPACITY = 64 * 1024;

export class ByteQueue {
  /** The most bytes the queue will ever hold. */
  readonly limit: number;
  #memory: ParserMemory | undefined;
  #buf = new Uint8Array(0);
  #start = 0;
  #end = 0;
  #offset = 0;

  constructor(limit: number, memory?: ParserMemory) {
    this.limit = limit;
    this.#memory = memory;
  }

  /** Bytes of the backing store: what the queue takes in memory. */
  get capacity(): number {
    return this.#buf.length;
  }

  /** Backing store; valid until the next `append()`. Read `[start, start + length)`. */
  get bytes(): Uint8Array {
    return this.#buf;
  }

  /** Index in `bytes` of the first buffered byte. */
  get start(): number {
    return this.#start;
  }

  /** Number of buffered bytes. */
  get length(): number {
    return this.#end - this.#start;
  }

  /** Stream position (bytes consumed so far) of the first buffered byte. */
  get offset(): number {
    return this.#offset;
  }

  /** How many bytes `append()` accepts now. */
  room(): number {
    return this.limit - this.length;
  }

  /** Copies `chunk` in. Throws RangeError if it does not fit in `room()`. */
  append(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n > this.room()) throw new RangeError("ByteQueue.append() past its limit");
    if (this.#end + n > this.#buf.length) this.#makeRoom(n);
    this.#buf.set(chunk, this.#end);
    this.#end += n;
  }

  /** Removes the first `n` buffered bytes and returns a copy of them. */
  take(n: number): Uint8Array {
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.skip(n);
    return out;
  }

  /** Drops the first `n` buffered bytes. */
  skip(n: number): void {
    this.#start += n;
    this.#offset += n;
    if (this.#start === this.#end) this.#start = this.#end = 0;
  }

  #makeRoom(n: number): void {
    const used = this.#end - this.#start;
    let capacity = this.#buf.length;
    // Slide left when that frees enough room and the move is cheap relative
    // to what it frees; otherwise grow by doubling (capped at the limit).
    if (used + n <= capacity && used <= capacity / 2) {
      this.#buf.copyWithin(0, this.#start, this.#end);
    } else {
      capacity = Math.max(capacity, MIN_CAPACITY);
      while (capacity < used + n) capacity *= 2;
      capacity = Math.min(capacity, Math.max(this.limit, used + n));
      this.#memory?.grow(capacity - this.#buf.length);
      const grown = new Uint8Array(capacity);
      grown.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = grown;
    }
    this.#start = 0;
    this.#end = used;
  }
}

/** Big-endian unsigned integer of `length` (0-8) bytes; exact up to 2^53. */
export function readUint(bytes: Uint8Array, pos: number, length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + bytes[pos + i];
  return value;
}

/** Big-endian unsigned 32-bit integer. */
export function readU32(bytes: Uint8Array, pos: number): number {
  return ((bytes[pos] << 24) | (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3]) >>>
    0;
}

/** Four bytes as an ASCII code such as "moof". */
export function readFourCC(bytes: Uint8Array, pos: number): string {
  return String.fromCharCode(bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]);
}

/** Bytes as printable ASCII, other bytes as ".", for error messages. */
export function printable(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
  return s;
}

/** Bytes as space-separated hex, for error messages. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** One new array holding `parts` back to back. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Appends `chunk` to `queue` in slices that fit, calling `parse` after each
 * so it can consume what is complete. A queue that is full and that `parse`
 * cannot drain means one element is larger than the limit: `stuck()` makes
 * the error to throw. Keeps a demuxer's memory bounded whatever it is fed.
 */
export function feed(
  queue: ByteQueue,
  chunk: Uint8Array,
  parse: () => void,
  stuck: () => Error,
): void {
  for (let i = 0; i < chunk.length;) {
    const n = Math.min(chunk.length - i, queue.room());
    if (n === 0) throw stuck();
    queue.append(chunk.subarray(i, i + n));
    i += n;
    parse();
  }
}

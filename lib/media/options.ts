/**
 * Limits shared by the demuxers. A live publisher is untrusted input: every
 * element, box, init segment and MP4 fragment the parsers buffer is capped so
 * one bad stream cannot take the server's memory.
 */

export interface DemuxerOptions {
  /** Largest element/box (and init segment, held cluster head, MP4 fragment) accepted, in bytes. */
  maxElementBytes?: number;
  /** Where the parser's buffer reports the memory it takes (default: nowhere). */
  memory?: ParserMemory;
}

/**
 * The memory a parser's buffer holds, reported before it grows so that the
 * server can count it with the media it keeps (`--max-memory-mb`). `grow()`
 * refuses by throwing; the push that needed the room fails with that error
 * and the parser must not be used again.
 */
export interface ParserMemory {
  grow(bytes: number): void;
}

export const DEFAULT_MAX_ELEMENT_BYTES = 8 * 1024 * 1024;

/**
 * Limits shared by the demuxers. A live publisher is untrusted input: every
 * element, box, init segment and MP4 fragment the parsers buffer is capped so
 * one bad stream cannot take the server's memory.
 */

export interface DemuxerOptions {
  /** Largest element/box (and init segment, held cluster head, MP4 fragment) accepted, in bytes. */
  maxElementBytes?: number;
}

export const DEFAULT_MAX_ELEMENT_BYTES = 8 * 1024 * 1024;

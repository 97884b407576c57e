/**
 * A minimal HTTP/1.1 response reader for the fan-out load generator: it
 * reads a raw TCP socket into one reused buffer, checks the status line and
 * undoes chunked transfer encoding, handing body bytes to `onBody` as views
 * (no copies). `fetch()` costs a promise, a buffer and a stream chunk per
 * read, which at 1,000 streams per process made the load generator, not the
 * server, the bottleneck.
 */

const CR = 13;
const LF = 10;

export class ChunkedReader {
  #head = "";
  #inBody = false;
  #chunked = false;
  /** Body bytes left in the current chunk. */
  #left = 0;
  /** Bytes of CRLF still to skip after a chunk's data. */
  #crlf = 0;
  #sizeLine = "";
  done = false;

  constructor(readonly onBody: (bytes: Uint8Array) => void) {}

  push(bytes: Uint8Array): void {
    let at = 0;
    if (!this.#inBody) {
      // Headers are small and come first: decode them as text.
      const text = new TextDecoder("latin1").decode(bytes);
      const end = (this.#head + text).indexOf("\r\n\r\n");
      if (end < 0) {
        this.#head += text;
        return;
      }
      const head = (this.#head + text).slice(0, end);
      if (!/^HTTP\/1\.1 200/.test(head)) throw new Error(`live stream: ${head.split("\r\n")[0]}`);
      this.#chunked = /\r\ntransfer-encoding: *chunked/i.test(head);
      at = end + 4 - this.#head.length;
      this.#inBody = true;
    }
    if (!this.#chunked) {
      if (at < bytes.length) this.onBody(bytes.subarray(at));
      return;
    }
    while (at < bytes.length && !this.done) {
      if (this.#left > 0) {
        const n = Math.min(this.#left, bytes.length - at);
        this.onBody(bytes.subarray(at, at + n));
        this.#left -= n;
        at += n;
        if (this.#left === 0) this.#crlf = 2;
      } else if (this.#crlf > 0) {
        this.#crlf--;
        at++;
      } else {
        const b = bytes[at++];
        if (b === LF) {
          const size = parseInt(this.#sizeLine, 16);
          this.#sizeLine = "";
          if (size === 0) this.done = true;
          this.#left = size;
        } else if (b !== CR) {
          this.#sizeLine += String.fromCharCode(b);
        }
      }
    }
  }
}

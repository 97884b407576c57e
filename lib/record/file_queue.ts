/**
 * An append-only file fed without waiting: `append()` copies bytes into a
 * buffer the queue owns (callers on the hub's push path never touch the
 * disk, and the sockets' message buffers are not kept alive), and `flush()`
 * hands everything buffered to the OS in one write. The recording flushes
 * every second (and a buffer past FLUSH_BYTES flushes at once), so a live
 * track costs about one write a second instead of one per segment (about ten
 * a second). That write is synchronous, on the server's own thread: it only
 * copies into the OS's page cache (tens of µs for a second of media), while
 * Deno runs an async write on a blocking-pool thread whose malloc arena is
 * what grew over a lesson (see disk_lane.ts). Bytes that reached the OS
 * survive a `kill -9`; `sync()` asks the OS to put them on the disk (async:
 * that may take long). Every operation goes through the recording's DiskLane
 * (one at a time). The first error (disk full, permissions, a disk
 * that cannot keep up) ends the queue: `onError` is called once, later
 * appends are ignored.
 */
import { DiskLane } from "./disk_lane.ts";

/** More than this many bytes waiting for the disk means it cannot keep up. */
export const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
/** A buffer this full is flushed without waiting for the next tick. */
export const FLUSH_BYTES = 1024 * 1024;
/** The write buffer's first size; it doubles as needed and is kept for reuse. */
const FIRST_BUFFER_BYTES = 64 * 1024;

export class FileQueue {
  readonly path: string;
  readonly file: Deno.FsFile;
  readonly #lane: DiskLane;
  /** Appends land here; reused after each write. */
  #fill = new Uint8Array(FIRST_BUFFER_BYTES);
  #filled = 0;
  #size: number;
  /** A flush waiting in the lane (one is enough: it writes whatever is there when it runs). */
  #queuedFlush: Promise<void> | null = null;
  #error: Error | null = null;
  #closed = false;
  #onError: (err: Error) => void;

  /** Opens `path` for appending (`truncate`: start it empty). Throws if it cannot be opened. */
  constructor(
    path: string,
    options: { truncate: boolean; onError: (err: Error) => void; lane?: DiskLane },
  ) {
    this.path = path;
    this.file = Deno.openSync(path, {
      write: true,
      create: true,
      truncate: options.truncate,
      append: !options.truncate,
    });
    this.#size = options.truncate ? 0 : this.file.statSync().size;
    this.#onError = options.onError;
    this.#lane = options.lane ?? new DiskLane();
  }

  /** Bytes written or queued: the file's size once the queue drains. */
  get size(): number {
    return this.#size;
  }

  get error(): Error | null {
    return this.#error;
  }

  /** Copies bytes to the end of the buffer. Never waits, never throws. */
  append(bytes: Uint8Array): void {
    if (this.#error || this.#closed) return;
    const needed = this.#filled + bytes.length;
    if (needed > MAX_QUEUED_BYTES) {
      this.fail(new Error(`the disk cannot keep up (${needed} bytes waiting)`));
      return;
    }
    if (needed > this.#fill.length) {
      let length = this.#fill.length * 2;
      while (length < needed) length *= 2;
      const grown = new Uint8Array(length);
      grown.set(this.#fill.subarray(0, this.#filled));
      this.#fill = grown;
    }
    this.#fill.set(bytes, this.#filled);
    this.#filled = needed;
    this.#size += bytes.length;
    if (this.#filled >= FLUSH_BYTES) this.flush();
  }

  /** Hands what is buffered to the OS (through the lane); resolves once written. */
  flush(): Promise<void> {
    if (this.#error || this.#closed) return Promise.resolve();
    this.#queuedFlush ??= this.#lane.run(() => this.#write());
    return this.#queuedFlush;
  }

  /** Waits until what is queued reached the OS, then asks the OS to store it on disk. */
  sync(): Promise<void> {
    return this.drain(() => this.file.syncData());
  }

  /**
   * Runs `then` once everything queued so far is written (unless the queue
   * failed or closed); an error it throws fails the queue.
   */
  drain(then: (file: Deno.FsFile) => Promise<void>): Promise<void> {
    return this.#lane.run(async () => {
      await this.#write();
      if (this.#error || this.#closed) return;
      try {
        await then(this.file);
      } catch (err) {
        this.fail(err as Error);
      }
    });
  }

  /** Writes what is queued, runs `last` (e.g. finishing a WebM) and closes the file. Idempotent. */
  close(last: (file: Deno.FsFile) => Promise<void> = async () => {}): Promise<void> {
    return this.drain(last).then(() => {
      if (this.#closed) return;
      this.#closed = true;
      this.#fill = new Uint8Array(0);
      this.file.close();
    });
  }

  /** Ends the queue with `err` (reported once). */
  fail(err: Error): void {
    if (this.#error) return;
    this.#error = err;
    this.#filled = 0;
    this.#onError(err);
  }

  /** Writes the buffer in one go (synchronously: see the top of this file). */
  // deno-lint-ignore require-await
  async #write(): Promise<void> {
    this.#queuedFlush = null;
    if (this.#filled === 0 || this.#error || this.#closed) return;
    const bytes = this.#fill.subarray(0, this.#filled);
    this.#filled = 0;
    try {
      let at = 0;
      while (at < bytes.length) at += this.file.writeSync(bytes.subarray(at));
    } catch (err) {
      this.fail(err as Error);
    }
  }
}

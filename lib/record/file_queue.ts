/**
 * An append-only file fed without waiting: `append()` queues bytes and one
 * write loop hands them to the OS in order, so callers on the hub's push path
 * never touch the disk. Bytes reach the OS as soon as the loop gets to them
 * (a `kill -9` of the server loses nothing written); `sync()` asks the OS to
 * put them on the disk. The first error (disk full, permissions, a disk that
 * cannot keep up) ends the queue: `onError` is called once, later appends
 * are ignored.
 */

/** More than this many bytes waiting for the disk means it cannot keep up. */
export const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

export class FileQueue {
  readonly path: string;
  readonly file: Deno.FsFile;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #size: number;
  #loop: Promise<void> = Promise.resolve();
  #running = false;
  #error: Error | null = null;
  #closed = false;
  #onError: (err: Error) => void;

  /** Opens `path` for appending (`truncate`: start it empty). Throws if it cannot be opened. */
  constructor(path: string, options: { truncate: boolean; onError: (err: Error) => void }) {
    this.path = path;
    this.file = Deno.openSync(path, {
      write: true,
      create: true,
      truncate: options.truncate,
      append: !options.truncate,
    });
    this.#size = options.truncate ? 0 : this.file.statSync().size;
    this.#onError = options.onError;
  }

  /** Bytes written or queued: the file's size once the queue drains. */
  get size(): number {
    return this.#size;
  }

  get error(): Error | null {
    return this.#error;
  }

  /** Queues bytes at the end of the file. Never waits, never throws. */
  append(bytes: Uint8Array): void {
    if (this.#error || this.#closed) return;
    this.#queue.push(bytes);
    this.#queued += bytes.length;
    this.#size += bytes.length;
    if (this.#queued > MAX_QUEUED_BYTES) {
      this.fail(new Error(`the disk cannot keep up (${this.#queued} bytes waiting)`));
      return;
    }
    if (!this.#running) this.#loop = this.#loop.then(() => this.#writeQueued());
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
    const next = this.#loop.then(() => this.#writeQueued()).then(async () => {
      if (this.#error || this.#closed) return;
      try {
        await then(this.file);
      } catch (err) {
        this.fail(err as Error);
      }
    });
    this.#loop = next;
    return next;
  }

  /** Writes what is queued, runs `last` (e.g. finishing a WebM) and closes the file. Idempotent. */
  close(last: (file: Deno.FsFile) => Promise<void> = async () => {}): Promise<void> {
    return this.drain(last).then(() => {
      if (this.#closed) return;
      this.#closed = true;
      this.file.close();
    });
  }

  /** Ends the queue with `err` (reported once). */
  fail(err: Error): void {
    if (this.#error) return;
    this.#error = err;
    this.#queue = [];
    this.#queued = 0;
    this.#onError(err);
  }

  async #writeQueued(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0 && !this.#error) {
        const bytes = this.#queue.shift()!;
        this.#queued -= bytes.length;
        let at = 0;
        while (at < bytes.length) at += await this.file.write(bytes.subarray(at));
      }
    } catch (err) {
      this.fail(err as Error);
    } finally {
      this.#running = false;
    }
  }
}

/**
 * One file operation at a time for one recording: every write, sync and
 * meta.json rewrite of its files goes through here in order.
 *
 * Why: each Deno file operation runs on a thread of the runtime's blocking
 * pool, and the pool starts a thread whenever none is idle. A recording whose
 * files each wrote (once per segment) and synced on their own kept up to 31
 * such threads on a loaded machine (a server without recording: none), and
 * each thread's first allocation claims a glibc malloc arena of its own;
 * those arenas held ~16 MiB more than without recording and grew over a
 * lesson. Media writes now run on the server's own thread (file_queue.ts);
 * what still needs the pool (syncs, meta.json) goes one at a time, so a few
 * threads serve it all. Pure promise plumbing.
 */
export class DiskLane {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `op` after every operation queued before it; resolves or rejects as it does. */
  run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(op);
    this.#tail = next.catch(() => {});
    return next;
  }
}

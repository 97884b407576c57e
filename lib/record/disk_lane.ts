/**
 * One file operation at a time for one recording: every write, sync and
 * meta.json rewrite of its files goes through here in order.
 *
 * Why: each Deno file operation runs on a thread of the runtime's blocking
 * pool, and the pool starts a thread whenever none is idle. A recording whose
 * four files each wrote and synced on their own kept 10–20 such threads
 * (a server without recording: none), and each thread's first allocation
 * claims a glibc malloc arena of its own; those arenas held 10–20 MiB and
 * grew with fragmentation over a long lesson. Serialised, one idle thread
 * serves them all. Pure promise plumbing; no I/O of its own.
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

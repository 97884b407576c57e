import { deepEqual, equal, ok } from "node:assert/strict";
import { DiskLane } from "./disk_lane.ts";
import { FileQueue, FLUSH_BYTES } from "./file_queue.ts";

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("FileQueue keeps appends in its buffer until flush(), then writes them in order", () =>
  withDir(async (dir) => {
    const q = new FileQueue(`${dir}/a`, { truncate: true, onError: (e) => ok(false, e.message) });
    const parts = [new Uint8Array([1, 2]), new Uint8Array([3]), new Uint8Array([4, 5, 6])];
    for (const p of parts) q.append(p);
    parts[0][0] = 9; // copied at append: the caller's buffer may be reused at once
    equal(q.size, 6);
    equal((await Deno.stat(`${dir}/a`)).size, 0, "nothing written before the flush");
    await q.flush();
    deepEqual([...await Deno.readFile(`${dir}/a`)], [1, 2, 3, 4, 5, 6]);
    q.append(new Uint8Array([7]));
    await q.close();
    deepEqual([...await Deno.readFile(`${dir}/a`)], [1, 2, 3, 4, 5, 6, 7]);
  }));

Deno.test("FileQueue flushes by itself once FLUSH_BYTES are buffered", () =>
  withDir(async (dir) => {
    const q = new FileQueue(`${dir}/b`, { truncate: true, onError: (e) => ok(false, e.message) });
    const big = new Uint8Array(FLUSH_BYTES).fill(7);
    q.append(big);
    // Queued after the flush the append started: when it runs, the big write is done.
    await q.drain(async () => {});
    equal((await Deno.stat(`${dir}/b`)).size, FLUSH_BYTES);
    await q.close();
  }));

Deno.test("DiskLane runs one operation at a time, in order, and goes on after a failure", async () => {
  const lane = new DiskLane();
  const log: string[] = [];
  let running = 0;
  const op = (name: string, fail = false) => async () => {
    running++;
    equal(running, 1, "one at a time");
    await Promise.resolve();
    log.push(name);
    running--;
    if (fail) throw new Error(name);
  };
  const results = await Promise.allSettled([
    lane.run(op("a")),
    lane.run(op("b", true)),
    lane.run(op("c")),
  ]);
  deepEqual(log, ["a", "b", "c"]);
  deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
});

Deno.test("FileQueue: a write error is reported once and later appends are ignored", () =>
  withDir(async (dir) => {
    await Deno.symlink("/dev/full", `${dir}/full`);
    const errors: Error[] = [];
    const q = new FileQueue(`${dir}/full`, { truncate: true, onError: (e) => errors.push(e) });
    q.append(new Uint8Array(10));
    await q.flush();
    equal(errors.length, 1);
    q.append(new Uint8Array(10));
    await q.flush();
    await q.close();
    equal(errors.length, 1);
  }));

import assert from "node:assert/strict";
import { ByteQueue, readU32, readUint } from "./bytes.ts";

Deno.test("ByteQueue keeps bytes in order across growth and compaction", () => {
  const q = new ByteQueue(1 << 20);
  let next = 0, expected = 0;
  for (let round = 0; round < 200; round++) {
    const n = (round * 7919) % 5000;
    q.append(Uint8Array.from({ length: n }, () => next++ & 255));
    const take = Math.min(q.length, (round * 104729) % 6000);
    const out = q.take(take);
    for (const b of out) assert.equal(b, expected++ & 255);
    assert.equal(q.offset, expected);
  }
});

Deno.test("ByteQueue never holds more than its limit", () => {
  const q = new ByteQueue(100);
  q.append(new Uint8Array(60));
  assert.equal(q.room(), 40);
  assert.throws(() => q.append(new Uint8Array(41)), RangeError);
  q.skip(50);
  q.append(new Uint8Array(90));
  assert.equal(q.length, 100);
  assert.ok(q.bytes.length <= 100, "backing store capped at the limit");
});

Deno.test("readUint() and readU32() read big-endian integers", () => {
  const b = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x01, 0x02]);
  assert.equal(readU32(b, 0), 0xffffffff);
  assert.equal(readUint(b, 0, 6), 0xffffffff0102);
  assert.equal(readUint(b, 4, 0), 0);
});

Deno.test("ByteQueue reports each growth of its store before making it; a refusal appends nothing", () => {
  const grown: number[] = [];
  const q = new ByteQueue(1 << 20, {
    grow(bytes) {
      if (q.capacity + bytes > 256 * 1024) throw new Error("no room");
      grown.push(bytes);
    },
  });
  q.append(new Uint8Array(1000));
  q.append(new Uint8Array(100_000));
  assert.deepEqual(grown, [64 * 1024, 64 * 1024]);
  assert.equal(q.capacity, 128 * 1024);
  assert.throws(() => q.append(new Uint8Array(200_000)), /no room/);
  assert.equal(q.length, 101_000);
  assert.equal(q.capacity, 128 * 1024);
});

import assert from "node:assert/strict";
import { ElementHeader, readElementHeader, readVint, UNKNOWN_SIZE, vintLength } from "./ebml.ts";
import { MediaError } from "./segment.ts";

const u8 = (...b: number[]) => new Uint8Array(b);

Deno.test("vintLength() counts leading zero bits of the first byte", () => {
  assert.deepStrictEqual(
    [0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01, 0xff, 0x00].map(vintLength),
    [
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      1,
      0,
    ],
  );
});

Deno.test("readVint() reads every length 1-8, unknown sizes and partial input", () => {
  for (let length = 1; length <= 8; length++) {
    const value = Math.min(2 ** (7 * length) - 2, 2 ** 52 + 3); // near the largest known size
    const bytes = new Uint8Array(length);
    let v = value;
    for (let i = length - 1; i >= 0; i--, v = Math.floor(v / 256)) bytes[i] = v % 256;
    bytes[0] |= 0x80 >> (length - 1);
    assert.equal(readVint(bytes, 0, length, 0), value, `length ${length}`);
    assert.ok(Number.isNaN(readVint(bytes, 0, length - 1, 0)), `cut ${length}`);
    const unknown = new Uint8Array(length).fill(0xff);
    unknown[0] = 0xff >> (length - 1);
    assert.equal(readVint(unknown, 0, length, 0), UNKNOWN_SIZE, `unknown ${length}`);
  }
  assert.equal(readVint(u8(0x40, 0x02), 0, 2, 0), 2, "non-minimal length is fine");
  assert.throws(
    () => readVint(u8(0x00, 0x01), 0, 2, 77),
    /invalid EBML variable-size integer at byte 77/,
  );
});

Deno.test("readElementHeader() reads ID and size, and waits for a whole header", () => {
  const h = new ElementHeader();
  const cluster = u8(0x1f, 0x43, 0xb6, 0x75, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
  assert.equal(readElementHeader(cluster, 0, cluster.length, 0, h), 12);
  assert.deepStrictEqual({ ...h }, { id: 0x1f43b675, size: UNKNOWN_SIZE, headerLength: 12 });
  for (let end = 0; end < cluster.length; end++) {
    assert.equal(readElementHeader(cluster, 0, end, 0, h), 0, `end ${end}`);
  }
  assert.equal(readElementHeader(u8(0xa3, 0x85), 0, 2, 0, h), 2);
  assert.deepStrictEqual([h.id, h.size], [0xa3, 5]);
});

Deno.test("readElementHeader() refuses IDs longer than 4 bytes or starting with 0x00", () => {
  const h = new ElementHeader();
  assert.throws(
    () => readElementHeader(u8(0x08, 1, 2, 3, 4, 0x81), 0, 6, 9, h),
    /element ID at byte 9/,
  );
  assert.throws(() => readElementHeader(u8(0x00, 0x81), 0, 2, 0, h), MediaError);
});

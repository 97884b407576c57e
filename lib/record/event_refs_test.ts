import assert from "node:assert/strict";
import { EventRefs } from "./event_refs.ts";
import { EVENTS_FILE } from "./meta.ts";

const SLIDE = /\/slides\/([0-9a-f]{40}\.(?:webp|jpg))/g;
const file = (c: string) => `${c.repeat(40)}.webp`;
const line = (t: number, ...files: string[]) =>
  JSON.stringify({
    t,
    type: "deck",
    pages: [files.map((f) => ({ w: 800, h: 450, url: `/slides/${f}` }))],
  }) + "\n";

Deno.test("EventRefs.collect() finds what each recording's events name; a changed log is read again, a deleted one stops counting", async () => {
  const root = await Deno.makeTempDir();
  try {
    const refs = new EventRefs(root, SLIDE);
    assert.deepEqual(await refs.collect(), new Set());
    await Deno.mkdir(`${root}/one`);
    await Deno.mkdir(`${root}/two`);
    await Deno.mkdir(`${root}/empty`);
    await Deno.writeTextFile(`${root}/one/${EVENTS_FILE}`, line(0, file("a"), file("b")));
    await Deno.writeTextFile(`${root}/two/${EVENTS_FILE}`, line(5, file("b")) + '{"t": 9, "ty');
    assert.deepEqual(await refs.collect(), new Set([file("a"), file("b")]));
    await Deno.writeTextFile(`${root}/two/${EVENTS_FILE}`, line(10, file("c")), { append: true });
    assert.deepEqual(await refs.collect(), new Set([file("a"), file("b"), file("c")]));
    await Deno.remove(`${root}/one`, { recursive: true });
    assert.deepEqual(await refs.collect(), new Set([file("b"), file("c")]));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("EventRefs refuses a pattern that is not global (it would find one name per log)", () => {
  assert.throws(() => new EventRefs("/tmp", /x(y)/), /global pattern/);
});

Deno.test("EventRefs.collect() of a recordings directory that does not exist yet is empty", async () => {
  assert.deepEqual(await new EventRefs("/nonexistent/recordings", SLIDE).collect(), new Set());
});

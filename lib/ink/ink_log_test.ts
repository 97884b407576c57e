import assert from "node:assert/strict";
import { encodePoints } from "./ink_codec.ts";
import { typicalStroke } from "./_testing.ts";
import { InkLog } from "./ink_log.ts";

const pts = encodePoints(typicalStroke(0.5));
const stroke = { op: "stroke", tool: "pen", color: "#000000", width: 4, pts, done: true } as const;

Deno.test("InkLog follows the whiteboard's rules: empty clear, undo while drawing, redo cut by a stroke", () => {
  const log = new InkLog();
  assert.equal(log.apply({ op: "clear" }), false, "clearing an empty page is no step");
  assert.equal(log.apply({ op: "undo" }), false);
  log.apply({ ...stroke, done: undefined });
  assert.equal(log.apply({ op: "undo" }), false, "no undo while a stroke is open");
  assert.equal(log.apply({ op: "more", pts, done: true }), true);
  assert.equal(log.apply({ op: "undo" }), true);
  assert.equal(log.visibleStrokes, 0);
  log.apply(stroke);
  assert.equal(log.apply({ op: "redo" }), false, "a new stroke drops the redo stack");
  assert.equal(log.apply({ op: "more", pts }), false, "no open stroke to add to");
  assert.deepEqual(log.replay().map((o) => o.op), ["stroke"]);
});

Deno.test("InkLog stays within its bound: oldest steps first, a clear never left first", () => {
  const log = new InkLog(2_000);
  for (let i = 0; i < 5; i++) log.apply(stroke);
  log.apply({ op: "clear" });
  for (let i = 0; i < 20; i++) log.apply(stroke);
  assert.ok(log.chars <= 2_000, `${log.chars} characters`);
  const ops = log.replay();
  assert.equal(ops[0].op, "stroke");
  assert.ok(ops.length < 26);
});

Deno.test("InkLog drops the tail of one endless stroke but still ends it", () => {
  const log = new InkLog(2_000);
  log.apply({ ...stroke, done: undefined });
  for (let i = 0; i < 50; i++) log.apply({ op: "more", pts });
  assert.ok(log.chars <= 2_000, `${log.chars} characters`);
  assert.equal(log.apply({ op: "more", pts, done: true }), true);
  assert.equal(log.apply({ op: "undo" }), true, "the stroke is closed");
});

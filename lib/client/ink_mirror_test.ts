import assert from "node:assert/strict";
import { encodePoints } from "../ink/ink_codec.ts";
import type { ServerMessage } from "../protocol.ts";
import { InkMirror } from "./ink_mirror.ts";
import type { Ctx2D } from "./whiteboard.ts";

/** Records what a redraw paints, with the compositing in force for each stroke. */
function recorder(): Ctx2D & { calls: string[] } {
  const calls: string[] = [];
  const ctx: Ctx2D & { calls: string[] } = {
    calls,
    fillStyle: "",
    strokeStyle: "",
    lineWidth: 1,
    lineCap: "butt",
    lineJoin: "miter",
    globalCompositeOperation: "source-over",
    fillRect: () => calls.push("fillRect"),
    clearRect: (x, y, w, h) => calls.push(`clearRect ${x},${y},${w},${h}`),
    beginPath: () => {},
    moveTo: () => {},
    lineTo: () => {},
    arc: () => {},
    stroke: () => calls.push(`stroke ${ctx.strokeStyle} ${ctx.globalCompositeOperation}`),
    fill: () => calls.push(`dot ${ctx.fillStyle} ${ctx.globalCompositeOperation}`),
  };
  return ctx;
}

const line = (x: number) => encodePoints([{ x, y: 10, p: 0.5 }, { x: x + 20, y: 30, p: 0.5 }]);
const slide = (index: number, deck: string | null = "d1"): ServerMessage => ({
  type: "slide",
  deck,
  index,
  count: deck ? 3 : 0,
  renditions: [],
});

Deno.test("InkMirror draws ink over a slide: cleared background, eraser removes ink only", () => {
  const m = new InkMirror();
  m.apply(slide(0));
  m.apply({
    type: "ink",
    slide: 0,
    op: "stroke",
    tool: "pen",
    color: "#c62828",
    width: 4,
    pts: line(0),
  });
  m.apply({ type: "ink", slide: 0, op: "more", pts: "", done: true });
  m.apply({
    type: "ink",
    slide: 0,
    op: "stroke",
    tool: "eraser",
    color: "#1b1d1f",
    width: 16,
    pts: line(5),
    done: true,
  });
  const ctx = recorder();
  m.board().redraw(ctx);
  assert.deepEqual(ctx.calls, [
    "clearRect 0,0,1280,720",
    "dot #c62828 source-over",
    "stroke #c62828 source-over",
    "dot #fbfaf6 destination-out",
    "stroke #fbfaf6 destination-out",
  ]);
});

Deno.test("InkMirror keeps each page's ink, follows undo/clear/reset, and forgets a replaced deck", () => {
  const m = new InkMirror();
  let changes = 0;
  m.onChange = () => changes++;
  m.apply(slide(0));
  const stroke = (s: number, x: number): ServerMessage => ({
    type: "ink",
    slide: s,
    op: "stroke",
    tool: "pen",
    color: "#1565c0",
    width: 4,
    pts: line(x),
    done: true,
  });
  m.apply(stroke(0, 0));
  m.apply(stroke(0, 50));
  assert.equal(m.apply(stroke(1, 0)), false, "ink on another page does not change the view");
  assert.equal(m.board(0).strokes.length, 2);
  m.apply({ type: "ink", slide: 0, op: "undo" });
  assert.equal(m.board(0).strokes.length, 1);
  m.apply({ type: "ink", slide: 0, op: "clear" });
  assert.equal(m.board(0).strokes.length, 0);
  m.apply({ type: "ink", slide: 0, op: "undo" });
  assert.equal(m.board(0).strokes.length, 1);
  m.apply(slide(1));
  assert.equal(m.index, 1);
  assert.equal(m.board().strokes.length, 1, "page 2 kept its own ink");
  m.apply({ type: "ink", slide: 1, op: "reset" });
  assert.equal(m.board().strokes.length, 0);
  m.apply(slide(0, "d2"));
  assert.equal(m.board(0).strokes.length, 0, "a new deck starts clean");
  assert.ok(changes >= 8);
});

Deno.test("InkMirror skips a damaged stroke and keeps the rest", () => {
  const m = new InkMirror();
  m.apply(slide(0, null));
  m.apply({
    type: "ink",
    slide: 0,
    op: "stroke",
    tool: "pen",
    color: "#000000",
    width: 4,
    pts: "A",
    done: true,
  });
  m.apply({
    type: "ink",
    slide: 0,
    op: "stroke",
    tool: "pen",
    color: "#000000",
    width: 4,
    pts: line(0),
    done: true,
  });
  assert.equal(m.board().strokes.length, 1);
});

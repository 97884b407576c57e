import assert from "node:assert/strict";
import { type Ctx2D, Whiteboard, widthAt } from "./whiteboard.ts";

/** Records drawing calls as strings. */
function recorder(): Ctx2D & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fillStyle: "",
    strokeStyle: "",
    lineWidth: 1,
    lineCap: "butt",
    lineJoin: "miter",
    fillRect: (x, y, w, h) => calls.push(`fillRect ${x},${y},${w},${h}`),
    beginPath: () => {},
    moveTo: (x, y) => calls.push(`moveTo ${x},${y}`),
    lineTo: (x, y) => calls.push(`lineTo ${x},${y}`),
    arc: (x, y) => calls.push(`dot ${x},${y}`),
    stroke() {
      calls.push(`stroke ${this.strokeStyle} ${this.lineWidth}`);
    },
    fill() {
      calls.push(`fill ${this.fillStyle}`);
    },
  };
}

const pt = (x: number, y: number, p = 0.5) => ({ x, y, p });

function drawLine(b: Whiteboard, tool: "pen" | "eraser" = "pen", color = "#000", ctx?: Ctx2D) {
  b.begin(tool, color, 4, pt(0, 0), ctx);
  b.extend(pt(10, 10), ctx);
  b.end();
}

Deno.test("Whiteboard draws a stroke incrementally: a dot, then segments", () => {
  const b = new Whiteboard();
  const ctx = recorder();
  drawLine(b, "pen", "#123", ctx);
  assert.deepEqual(ctx.calls, [
    "dot 0,0",
    "fill #123",
    "moveTo 0,0",
    "lineTo 10,10",
    "stroke #123 4",
  ]);
  assert.equal(b.strokes.length, 1);
});

Deno.test("widthAt() scales the nominal width with pen pressure", () => {
  assert.equal(widthAt(10, 0.5), 10);
  assert.ok(widthAt(10, 1) > widthAt(10, 0.2));
  assert.equal(widthAt(10, 5), widthAt(10, 1));
});

Deno.test("Whiteboard.redraw() paints the board and the eraser in the board colour", () => {
  const b = new Whiteboard({ width: 100, height: 50, background: "#fff" });
  drawLine(b, "pen", "#000");
  drawLine(b, "eraser");
  const ctx = recorder();
  b.redraw(ctx);
  assert.equal(ctx.calls[0], "fillRect 0,0,100,50");
  assert.deepEqual(ctx.calls.filter((c) => c.startsWith("stroke")), [
    "stroke #000 4",
    "stroke #fff 4",
  ]);
});

Deno.test("Whiteboard undo and redo step through strokes; a new stroke drops the redo", () => {
  const b = new Whiteboard();
  drawLine(b);
  drawLine(b);
  assert.ok(b.undo());
  assert.equal(b.strokes.length, 1);
  assert.ok(b.redo());
  assert.equal(b.strokes.length, 2);
  b.undo();
  drawLine(b);
  assert.equal(b.canRedo, false);
  assert.equal(b.strokes.length, 2);
});

Deno.test("Whiteboard.clear() empties the board and can be undone", () => {
  const b = new Whiteboard();
  drawLine(b);
  drawLine(b);
  b.clear();
  assert.equal(b.strokes.length, 0);
  b.clear();
  b.undo();
  assert.equal(b.strokes.length, 2, "clearing an empty board adds no step");
  assert.equal(b.undo(), true);
  assert.equal(b.strokes.length, 1);
});

Deno.test("Whiteboard cannot undo in the middle of a stroke", () => {
  const b = new Whiteboard();
  drawLine(b);
  b.begin("pen", "#000", 4, pt(1, 1));
  assert.equal(b.undo(), false);
  assert.equal(b.strokes.length, 2);
  b.end();
  assert.equal(b.undo(), true);
});

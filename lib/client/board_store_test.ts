import assert from "node:assert/strict";
import { encodeBoard, loadBoard, parseBoard, saveBoard } from "./board_store.ts";
import { type Stroke, Whiteboard } from "./whiteboard.ts";

class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(i: number) {
    return [...this.#items.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
}

const stroke = (x: number): Stroke => ({
  tool: "pen",
  color: "#1b1d1f",
  width: 4,
  points: [{ x, y: 10.26, p: 0.51 }, { x: x + 5, y: 20, p: 0.5 }],
});

Deno.test("saveBoard() then loadBoard() brings a room's strokes back, rounded", () => {
  const storage = new MemoryStorage();
  saveBoard(storage, "room-a", [stroke(1.24), stroke(40)]);
  const back = loadBoard(storage, "room-a");
  assert.equal(back.length, 2);
  assert.deepEqual(back[0].points[0], { x: 1, y: 10.5, p: 0.5 });
  assert.deepEqual(loadBoard(storage, "room-b"), [], "boards are per room");
});

Deno.test("saveBoard() of an empty board forgets it", () => {
  const storage = new MemoryStorage();
  saveBoard(storage, "r", [stroke(1)]);
  saveBoard(storage, "r", []);
  assert.equal(storage.length, 0);
});

Deno.test("parseBoard() ignores damaged or foreign data", () => {
  assert.equal(parseBoard(null), null);
  assert.equal(parseBoard("{not json"), null);
  assert.equal(parseBoard('{"strokes": []}'), null);
  assert.equal(
    parseBoard('[{"tool":"pen","color":"red;x","width":4,"points":[{"x":1,"y":1,"p":1}]}]'),
    null,
  );
  assert.equal(
    parseBoard('[{"tool":"laser","color":"#000","width":4,"points":[{"x":1,"y":1,"p":1}]}]'),
    null,
  );
  assert.deepEqual(parseBoard(encodeBoard([stroke(3)]))?.length, 1);
});

Deno.test("encodeBoard() keeps the newest strokes when the board is over the cap", () => {
  const strokes = Array.from({ length: 100 }, (_, i) => stroke(i));
  const json = encodeBoard(strokes, 5000);
  assert.ok(json.length <= 5000);
  const kept = parseBoard(json)!;
  assert.ok(kept.length > 0 && kept.length < 100);
  assert.equal(kept.at(-1)!.points[0].x, 99, "the newest stroke survives");
});

Deno.test("saveBoard() survives a full storage", () => {
  const full = new MemoryStorage();
  full.setItem = () => {
    throw new DOMException("full", "QuotaExceededError");
  };
  saveBoard(full, "r", [stroke(1)]);
});

Deno.test("Whiteboard.restore() shows the strokes with a fresh history", () => {
  const board = new Whiteboard();
  board.begin("pen", "#000", 4, { x: 0, y: 0, p: 0.5 });
  board.end();
  board.restore([stroke(1), stroke(2)]);
  assert.equal(board.strokes.length, 2);
  assert.equal(board.canRedo, false);
  board.undo();
  assert.equal(board.strokes.length, 1);
});

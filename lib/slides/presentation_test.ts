import assert from "node:assert/strict";
import { type RoomEvent, RoomEvents } from "../hub/events.ts";
import { decodeClient, decodeServer, encodeClient, type ServerMessage } from "../protocol.ts";
import { InkSender } from "../client/ink_sender.ts";
import { InkMirror } from "../client/ink_mirror.ts";
import { Whiteboard } from "../client/whiteboard.ts";
import { typicalStroke } from "../ink/_testing.ts";
import type { Deck } from "./deck_store.ts";
import { Presentation, type PresentationMember, Presentations } from "./presentation.ts";

function deck(pages: number, id = "deck1"): Deck {
  return {
    id,
    roomId: "r",
    complete: true,
    pages: Array.from({ length: pages }, (_, i) => [
      { w: 800, h: 450, url: `/slides/${i}-small.webp` },
      { w: 1920, h: 1080, url: `/slides/${i}-large.webp` },
    ]),
  };
}

/** A member that decodes what it gets, as a browser would, into a mirror. */
function viewer(): PresentationMember & { mirror: InkMirror; got: ServerMessage[] } {
  const mirror = new InkMirror();
  const got: ServerMessage[] = [];
  return {
    mirror,
    got,
    sendPresentation(text) {
      const m = decodeServer(text);
      got.push(m);
      mirror.apply(m);
    },
  };
}

/** The studio: a whiteboard per page and an InkSender into the presentation. */
function studio(p: Presentation) {
  let t = 0;
  const boards = new Map<number, Whiteboard>();
  const board = (i: number) => boards.get(i) ?? boards.set(i, new Whiteboard()).get(i)!;
  const sender = new InkSender({
    now: () => t,
    send: (m) => {
      const decoded = decodeClient(encodeClient(m));
      if (decoded.type === "ink") p.ink(decoded);
      return true;
    },
  });
  return {
    board,
    draw(slide: number, seed: number, tool: "pen" | "eraser" = "pen") {
      const pts = typicalStroke(0.5, seed);
      board(slide).begin(tool, "#c62828", 4, pts[0]);
      sender.begin(slide, tool, "#c62828", 4, pts[0]);
      for (const pt of pts.slice(1)) {
        t += 16;
        board(slide).extend(pt);
        sender.extend(pt);
      }
      board(slide).end();
      sender.end();
    },
    step(slide: number, op: "undo" | "redo" | "clear") {
      if (op === "clear") board(slide).clear();
      else board(slide)[op]();
      sender.step(slide, op);
    },
  };
}

/** Visible strokes, rounded like the wire. */
const shape = (b: Whiteboard) =>
  b.strokes.map((s) => ({
    tool: s.tool,
    n: s.points.length,
    first: [Math.round(s.points[0].x * 2), Math.round(s.points[0].y * 2)],
  }));

Deno.test("Presentation: live viewers and late joiners see the studio's ink after undo, redo and clear", () => {
  const p = new Presentation();
  p.show(deck(3));
  const early = viewer();
  p.join(early);
  const s = studio(p);
  s.draw(0, 1);
  s.draw(0, 2);
  s.draw(0, 3, "eraser");
  s.step(0, "undo");
  s.step(0, "clear");
  s.draw(0, 4);
  s.step(0, "undo");
  s.step(0, "undo");
  s.step(0, "redo");
  const late = viewer();
  p.join(late);
  const want = shape(s.board(0));
  assert.equal(want.length, 0, "the clear is back after redo");
  assert.deepEqual(shape(early.mirror.board(0)), want);
  assert.deepEqual(shape(late.mirror.board(0)), want);
  // Both can follow a further undo (of the clear) identically: the redo stack came along.
  s.step(0, "undo");
  assert.equal(shape(s.board(0)).length, 2);
  assert.deepEqual(shape(early.mirror.board(0)), shape(s.board(0)));
  assert.deepEqual(shape(late.mirror.board(0)), shape(s.board(0)));
  s.step(0, "redo");
  s.step(0, "redo");
  assert.deepEqual(shape(late.mirror.board(0)), shape(s.board(0)));
});

Deno.test("Presentation: each slide keeps its own ink; a late joiner gets the current slide's", () => {
  const p = new Presentation();
  p.show(deck(3));
  const s = studio(p);
  s.draw(0, 1);
  p.control("next");
  s.draw(1, 2);
  s.draw(1, 3);
  const late = viewer();
  p.join(late);
  assert.equal(late.got[0].type, "slide");
  assert.equal(late.mirror.index, 1);
  assert.equal(late.mirror.board(1).strokes.length, 2);
  assert.equal(late.mirror.board(0).strokes.length, 0, "only the current slide's ink at join");
  p.control("previous");
  const back = viewer();
  p.join(back);
  assert.equal(back.mirror.board(0).strokes.length, 1);
});

Deno.test("Presentation.control(): next/previous stay inside the deck, goto checks the index", () => {
  const events: RoomEvent[] = [];
  const p = new Presentation({ emit: (e) => events.push(e), wallClock: () => 42 });
  assert.throws(() => p.control("next"), /upload a deck/);
  p.show(deck(3));
  assert.deepEqual(p.control("previous"), { deck: "deck1", index: 0, count: 3 });
  assert.equal(p.control("next").index, 1);
  assert.equal(p.control("goto", 2).index, 2);
  assert.equal(p.control("next").index, 2);
  assert.throws(() => p.control("goto", 3), /index.*0 to 2/);
  assert.throws(() => p.control("goto"), /index/);
  assert.deepEqual(events.map((e) => [e.type, e.index]), [
    ["deck", undefined],
    ["slide", 0],
    ["slide", 1],
    ["slide", 2],
  ]);
  assert.equal(events[1].at, 42);
  assert.deepEqual(events[2].renditions, deck(3).pages[1]);
});

Deno.test("Presentation: every member gets a slide change at once, one encoding for all", () => {
  const p = new Presentation();
  const texts: string[][] = [[], []];
  p.join({ sendPresentation: (t) => texts[0].push(t) });
  p.join({ sendPresentation: (t) => texts[1].push(t) });
  assert.deepEqual(JSON.parse(texts[0][0]), {
    type: "slide",
    deck: null,
    index: 0,
    count: 0,
    renditions: [],
  });
  p.show(deck(2));
  p.control("next");
  assert.equal(texts[0].length, 3);
  assert.equal(texts[0][2], texts[1][2]);
  assert.equal(JSON.parse(texts[0][2]).index, 1);
});

Deno.test("Presentation.ink(): refuses a slide outside the deck; a new deck drops the old ink", () => {
  const p = new Presentation();
  const s = studio(p);
  s.draw(0, 1); // the plain board is slide 0
  assert.throws(() => p.ink({ type: "ink", slide: 1, op: "clear" }), /slide 1/);
  p.show(deck(2));
  const v = viewer();
  p.join(v);
  assert.equal(v.got.length, 1, "the new deck's first slide has no ink");
});

Deno.test("Presentation bounds all ink, forgetting the slides shown longest ago first", () => {
  const p = new Presentation({ maxInkChars: 2000, maxSlideInkChars: 800 });
  p.show(deck(4));
  const s = studio(p);
  for (let slide = 0; slide < 4; slide++) {
    p.control("goto", slide);
    for (let i = 0; i < 6; i++) s.draw(slide, i);
  }
  const counts = [0, 1, 2, 3].map((i) => {
    p.control("goto", i);
    const v = viewer();
    p.join(v);
    return v.mirror.board(i).strokes.length;
  });
  assert.ok(counts[3] > 0 && counts[3] < 6, `the newest slide keeps its newest ink: ${counts}`);
  assert.equal(counts[0], 0, `the oldest slide's ink is gone: ${counts}`);
});

Deno.test("Presentation: a member gets a page's ink the first time that page is shown to it", () => {
  const p = new Presentation();
  p.show(deck(3));
  const s = studio(p);
  p.control("next");
  s.draw(1, 1);
  p.control("previous");
  const late = viewer();
  p.join(late);
  assert.equal(late.mirror.board(1).strokes.length, 0);
  p.control("next");
  assert.equal(late.mirror.board(1).strokes.length, 1, "slide 2's ink came with the slide");
  const sent = late.got.length;
  p.control("previous");
  p.control("next");
  assert.equal(late.got.length, sent + 2, "only the two slide messages the second time");
});

Deno.test("Presentations: a room going live hears the deck, slide and ink again (for its recording)", () => {
  const events = new RoomEvents();
  const seen: RoomEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const room = {};
  const p = new Presentations({ eventsOf: () => events, wallClock: () => 7 }).for(room);
  p.show(deck(2));
  const s = studio(p);
  s.draw(0, 1);
  p.control("next");
  seen.length = 0;
  events.emit({ type: "live", at: 7, live: true });
  assert.deepEqual(seen.map((e) => e.type), ["live", "deck", "slide", "ink"]);
  assert.equal(seen[2].index, 1);
  assert.deepEqual([seen[3].slide, seen[3].op, seen[3].done], [0, "stroke", true]);
});

Deno.test("Presentation: a late joiner gets a page's ink in one frame, however many strokes", () => {
  const p = new Presentation();
  p.show(deck(1));
  const s = studio(p);
  for (let i = 0; i < 100; i++) s.draw(0, i);
  const late = viewer();
  p.join(late);
  // A viewer's text queue is bounded in frames (lib/hub/subscriber.ts): 2, not 101.
  assert.deepEqual(late.got.map((m) => m.type), ["slide", "ink-replay"]);
  assert.equal(late.mirror.board(0).strokes.length, 100);
});

Deno.test("screen and camera snapshots reach members at once, joiners after their slide, events too", () => {
  const events: RoomEvent[] = [];
  const p = new Presentation({ wallClock: () => 5, emit: (e) => events.push(e) });
  const early = viewer();
  p.join(early);
  p.snapshot("camera", "/api/rooms/r/camera-snapshot.jpg?v=1");
  p.snapshot("camera", "/api/rooms/r/camera-snapshot.jpg?v=1");
  p.snapshot("screen", "/api/rooms/r/board-snapshot.jpg?v=2");
  assert.deepEqual(early.got.slice(1), [
    { type: "camera", snapshot: "/api/rooms/r/camera-snapshot.jpg?v=1" },
    { type: "screen", snapshot: "/api/rooms/r/board-snapshot.jpg?v=2" },
  ]);
  const late = viewer();
  p.join(late);
  assert.deepEqual(late.got.map((m) => m.type), ["slide", "screen", "camera"]);
  p.snapshot("camera", null);
  p.snapshot("camera", null);
  const again = viewer();
  p.join(again);
  assert.deepEqual(again.got.map((m) => m.type), ["slide", "screen"]);
  assert.deepEqual(events.map((e) => [e.type, e.snapshot]), [
    ["camera", "/api/rooms/r/camera-snapshot.jpg?v=1"],
    ["screen", "/api/rooms/r/board-snapshot.jpg?v=2"],
    ["camera", null],
  ]);
});

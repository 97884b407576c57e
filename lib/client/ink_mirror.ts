/**
 * A viewer's copy of the presentation: the slide shown (deck, index, count,
 * its image renditions) and every page's ink as a transparent Whiteboard,
 * kept up to date from the server's `slide` and `ink` messages. Drawing it
 * is the Whiteboard's job (scaled to any size, so the ink stays sharp);
 * this only applies messages. No DOM.
 */
import { decodePoints } from "../ink/ink_codec.ts";
import type { InkMessage, ServerMessage, SlideRendition } from "../protocol.ts";
import { Whiteboard } from "./whiteboard.ts";

export class InkMirror {
  deck: string | null = null;
  index = 0;
  count = 0;
  renditions: SlideRendition[] = [];
  /** The board snapshot of a screen share in progress (shown instead of slide and ink), or null. */
  snapshot: string | null = null;
  /** True once the server said which slide is shown. */
  known = false;
  /** Called after a message changed what the current slide shows. */
  onChange: () => void = () => {};
  #boards = new Map<number, Whiteboard>();
  /** Pages whose open stroke has no point yet (its `stroke` carried none). */
  #waiting = new Map<number, { tool: "pen" | "eraser"; color: string; width: number }>();

  /** Applies a `slide` or `ink` message; true (and `onChange()`) when the current slide's look changed. */
  apply(message: ServerMessage): boolean {
    const changed = this.#apply(message);
    if (changed) this.onChange();
    return changed;
  }

  #apply(message: ServerMessage): boolean {
    if (message.type === "screen") {
      const changed = message.snapshot !== this.snapshot;
      this.snapshot = message.snapshot;
      return changed;
    }
    if (message.type === "slide") {
      if (message.deck !== this.deck) {
        this.#boards.clear();
        this.#waiting.clear();
      }
      const changed = !this.known || message.deck !== this.deck ||
        message.index !== this.index || message.renditions[0]?.url !== this.renditions[0]?.url;
      this.known = true;
      this.deck = message.deck;
      this.index = message.index;
      this.count = message.count;
      this.renditions = message.renditions;
      return changed;
    }
    if (message.type === "ink") {
      this.#ink(message);
      return message.slide === this.index;
    }
    if (message.type === "ink-replay") {
      this.#ink({ type: "ink", slide: message.slide, op: "reset" });
      for (const op of message.ops) this.#ink({ type: "ink", slide: message.slide, ...op });
      return message.slide === this.index;
    }
    return false;
  }

  /** The ink of page `slide` (an empty board until something is drawn there). */
  board(slide = this.index): Whiteboard {
    let b = this.#boards.get(slide);
    if (!b) this.#boards.set(slide, b = new Whiteboard({ transparent: true }));
    return b;
  }

  #ink(m: InkMessage): void {
    const board = this.board(m.slide);
    switch (m.op) {
      case "stroke": {
        board.end();
        this.#waiting.set(m.slide, { tool: m.tool, color: m.color, width: m.width });
        this.#points(m.slide, board, m.pts);
        break;
      }
      case "more":
        this.#points(m.slide, board, m.pts);
        break;
      case "undo":
        board.undo();
        break;
      case "redo":
        board.redo();
        break;
      case "clear":
        board.clear();
        break;
      case "reset":
        board.restore([]);
        this.#waiting.delete(m.slide);
        break;
    }
    if ((m.op === "stroke" || m.op === "more") && m.done) {
      board.end();
      this.#waiting.delete(m.slide);
    }
  }

  #points(slide: number, board: Whiteboard, pts: string): void {
    let points;
    try {
      points = decodePoints(pts);
    } catch {
      return; // A damaged stroke is skipped; the rest of the ink still shows.
    }
    for (const point of points) {
      const start = this.#waiting.get(slide);
      if (start && !board.drawing) {
        board.begin(start.tool, start.color, start.width, point);
        this.#waiting.delete(slide);
      } else board.extend(point);
    }
  }
}

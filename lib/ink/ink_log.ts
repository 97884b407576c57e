/**
 * One slide's ink as the server keeps it for late joiners: the same history
 * the studio's whiteboard keeps (lib/client/whiteboard.ts): a list of steps,
 * each a stroke or a clear, plus a redo stack, with the same rules (a clear
 * of an empty board is no step, undo and redo wait while a stroke is open),
 * so a viewer that replays `replay()` and then follows live messages shows
 * what the presenter sees.
 *
 * Bounded by `maxChars` (points characters plus a small cost per step): past
 * it the oldest steps go first, so a very long session keeps its recent ink
 * and the oldest strokes can no longer be undone back into view. Pure.
 */
import type { InkOp, InkTool } from "../protocol.ts";
import { joinPoints } from "./ink_codec.ts";

/** What a step costs besides its points (keys, colour, width in the replayed message). */
const STEP_CHARS = 64;
export const DEFAULT_MAX_INK_CHARS = 256 * 1024;

interface StrokeStep {
  kind: "stroke";
  tool: InkTool;
  color: string;
  width: number;
  /** Encoded points per chunk received; merged into one when the stroke is done. */
  chunks: string[];
  open: boolean;
}

type Step = StrokeStep | { kind: "clear" };

export class InkLog {
  #steps: Step[] = [];
  #redo: Step[] = [];
  #chars = 0;
  readonly #max: number;

  constructor(maxChars = DEFAULT_MAX_INK_CHARS) {
    this.#max = maxChars;
  }

  /** Characters held (the bound applies to this). */
  get chars(): number {
    return this.#chars;
  }

  /** Strokes shown now (after the last clear). */
  get visibleStrokes(): number {
    const start = this.#steps.findLastIndex((s) => s.kind === "clear") + 1;
    return this.#steps.length - start;
  }

  /**
   * Applies one step. Returns false when it changes nothing (a `more` with no
   * open stroke, an undo with nothing to undo): such a step need not be sent on.
   */
  apply(op: InkOp): boolean {
    const open = this.#open();
    switch (op.op) {
      case "stroke": {
        if (open) open.open = false;
        this.#merge(open);
        this.#redo = [];
        const step: StrokeStep = {
          kind: "stroke",
          tool: op.tool,
          color: op.color,
          width: op.width,
          chunks: [op.pts],
          open: !op.done,
        };
        this.#steps.push(step);
        this.#chars += STEP_CHARS + op.pts.length;
        this.#trim();
        return true;
      }
      case "more": {
        if (!open) return false;
        // One endless stroke must not take the whole bound: its tail is dropped instead.
        const fits = sum(open.chunks) + op.pts.length <= this.#max / 2;
        if (fits) {
          open.chunks.push(op.pts);
          this.#chars += op.pts.length;
        }
        if (op.done) {
          open.open = false;
          this.#merge(open);
        }
        this.#trim();
        return fits || op.done === true;
      }
      case "undo":
        if (open || this.#steps.length === 0) return false;
        this.#redo.push(this.#steps.pop()!);
        return true;
      case "redo":
        if (open || this.#redo.length === 0) return false;
        this.#steps.push(this.#redo.pop()!);
        return true;
      case "clear":
        if (open) {
          open.open = false;
          this.#merge(open);
          this.#redo = [];
        }
        if (this.visibleStrokes === 0) return false;
        this.#steps.push({ kind: "clear" });
        this.#redo = [];
        this.#chars += STEP_CHARS;
        this.#trim();
        return true;
      case "reset":
        this.#steps = [];
        this.#redo = [];
        this.#chars = 0;
        return true;
    }
  }

  /**
   * The steps that bring an empty board to this state: every step in order,
   * then the redo stack's steps and as many undos (so redo works too).
   */
  replay(): InkOp[] {
    const out: InkOp[] = [];
    const emit = (s: Step) => {
      if (s.kind === "clear") return out.push({ op: "clear" });
      const stroke: InkOp = {
        op: "stroke",
        tool: s.tool,
        color: s.color,
        width: s.width,
        pts: s.chunks.length === 1 ? s.chunks[0] : joinPoints(s.chunks),
      };
      out.push(s.open ? stroke : { ...stroke, done: true });
    };
    this.#steps.forEach(emit);
    for (let i = this.#redo.length - 1; i >= 0; i--) emit(this.#redo[i]);
    for (let i = 0; i < this.#redo.length; i++) out.push({ op: "undo" });
    return out;
  }

  #open(): StrokeStep | null {
    const last = this.#steps.at(-1);
    return last?.kind === "stroke" && last.open ? last : null;
  }

  /** A finished stroke keeps one points string: replays stay one message per stroke. */
  #merge(step: StrokeStep | null): void {
    if (!step || step.chunks.length < 2) return;
    const merged = joinPoints(step.chunks);
    this.#chars += merged.length - sum(step.chunks);
    step.chunks = [merged];
  }

  #trim(): void {
    const cost = (s: Step) => STEP_CHARS + (s.kind === "stroke" ? sum(s.chunks) : 0);
    while (this.#chars > this.#max && this.#redo.length > 0) {
      this.#chars -= cost(this.#redo.shift()!);
    }
    while (this.#chars > this.#max && this.#steps.length > 1) {
      this.#chars -= cost(this.#steps.shift()!);
      // A clear with nothing before it would not be a step on a fresh board.
      while (this.#steps[0]?.kind === "clear") this.#chars -= cost(this.#steps.shift()!);
    }
  }
}

function sum(chunks: string[]): number {
  return chunks.reduce((n, c) => n + c.length, 0);
}

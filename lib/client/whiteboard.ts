/**
 * The whiteboard as data: strokes of points with pressure, drawn with a pen
 * (colour, width) or an eraser, plus clear, undo and redo. Coordinates are in
 * board pixels (the canvas's own size, e.g. 1280×720), so a redraw is exact at
 * any CSS size. Drawing goes through the small {@linkcode Ctx2D} interface so
 * tests can record calls; the eraser paints the board colour, because the
 * board is captured as video and transparent pixels would turn black.
 *
 * A `transparent` board is an ink layer over a slide (the studio's, and a
 * viewer's slide view): its background is cleared, not painted, and the
 * eraser removes ink (destination-out) so the slide shows through.
 */

/** A sampled pointer position; `p` is pressure 0…1 (a mouse reports 0.5 while pressed). */
export interface Point {
  x: number;
  y: number;
  p: number;
}

export type Tool = "pen" | "eraser";

export interface Stroke {
  tool: Tool;
  color: string;
  /** Nominal width in board pixels at pressure 0.5. */
  width: number;
  points: Point[];
}

/** The part of CanvasRenderingContext2D the board uses. */
export interface Ctx2D {
  fillStyle: string | CanvasGradient | CanvasPattern;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  lineCap: CanvasLineCap;
  lineJoin: CanvasLineJoin;
  fillRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  stroke(): void;
  fill(): void;
  /** Needed by transparent boards only. */
  clearRect?(x: number, y: number, w: number, h: number): void;
  globalCompositeOperation?: GlobalCompositeOperation;
}

type Op = { kind: "stroke"; stroke: Stroke } | { kind: "clear" };

export const PEN_COLORS = ["#1b1d1f", "#c62828", "#1565c0", "#2e7d32", "#ef6c00"] as const;
export const PEN_WIDTHS = [4, 8, 16] as const;
export const BOARD_COLOR = "#fbfaf6";

/** Width of one segment at pressure p: 0.5 gives the nominal width. */
export function widthAt(width: number, p: number): number {
  return width * (0.3 + 1.4 * Math.min(1, Math.max(0, p)));
}

/** A whiteboard's history and drawing. */
export class Whiteboard {
  readonly width: number;
  readonly height: number;
  readonly background: string;
  readonly transparent: boolean;
  #ops: Op[] = [];
  #redo: Op[] = [];
  #current: Stroke | null = null;

  constructor({ width = 1280, height = 720, background = BOARD_COLOR, transparent = false } = {}) {
    this.width = width;
    this.height = height;
    this.background = background;
    this.transparent = transparent;
  }

  /** Replaces the board with `strokes` (e.g. restored after a reload); undo history starts fresh. */
  restore(strokes: readonly Stroke[]): void {
    this.#ops = strokes.map((stroke) => ({ kind: "stroke", stroke }));
    this.#redo = [];
    this.#current = null;
  }

  /** Strokes visible now (after the last clear), including one being drawn. */
  get strokes(): Stroke[] {
    const start = this.#ops.findLastIndex((op) => op.kind === "clear") + 1;
    const done = this.#ops.slice(start).map((op) => (op as { stroke: Stroke }).stroke);
    return this.#current ? [...done, this.#current] : done;
  }

  /** True between `begin()` and `end()`. */
  get drawing(): boolean {
    return this.#current !== null;
  }

  get canUndo(): boolean {
    return this.#ops.length > 0 && this.#current === null;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0 && this.#current === null;
  }

  /** Starts a stroke; draws its first dot onto ctx when given. */
  begin(tool: Tool, color: string, width: number, point: Point, ctx?: Ctx2D): void {
    this.#current = { tool, color, width, points: [point] };
    if (ctx) this.#drawSegment(ctx, this.#current, 0);
  }

  /** Adds a point to the stroke being drawn and draws the new segment. */
  extend(point: Point, ctx?: Ctx2D): void {
    const s = this.#current;
    if (!s) return;
    s.points.push(point);
    if (ctx) this.#drawSegment(ctx, s, s.points.length - 1);
  }

  /** Ends the stroke being drawn; it becomes one undoable step. */
  end(): void {
    if (!this.#current) return;
    this.#ops.push({ kind: "stroke", stroke: this.#current });
    this.#redo = [];
    this.#current = null;
  }

  /** Clears the board as one undoable step; false when it was empty (no step). */
  clear(): boolean {
    this.end();
    if (this.strokes.length === 0) return false;
    this.#ops.push({ kind: "clear" });
    this.#redo = [];
    return true;
  }

  undo(): boolean {
    if (!this.canUndo) return false;
    this.#redo.push(this.#ops.pop()!);
    return true;
  }

  redo(): boolean {
    if (!this.canRedo) return false;
    this.#ops.push(this.#redo.pop()!);
    return true;
  }

  /** Paints the board colour and every visible stroke. */
  redraw(ctx: Ctx2D): void {
    if (this.transparent) ctx.clearRect?.(0, 0, this.width, this.height);
    else {
      ctx.fillStyle = this.background;
      ctx.fillRect(0, 0, this.width, this.height);
    }
    for (const s of this.strokes) {
      for (let i = 0; i < s.points.length; i++) this.#drawSegment(ctx, s, i);
    }
  }

  #drawSegment(ctx: Ctx2D, s: Stroke, i: number): void {
    const erase = s.tool === "eraser" && this.transparent;
    if (erase) ctx.globalCompositeOperation = "destination-out";
    this.#paintSegment(ctx, s, i);
    if (erase) ctx.globalCompositeOperation = "source-over";
  }

  #paintSegment(ctx: Ctx2D, s: Stroke, i: number): void {
    const color = s.tool === "eraser" ? this.background : s.color;
    const b = s.points[i];
    const w = widthAt(s.width, b.p);
    if (i === 0) {
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.arc(b.x, b.y, w / 2, 0, Math.PI * 2);
      ctx.fill();
      return;
    }
    const a = s.points[i - 1];
    ctx.strokeStyle = color;
    ctx.lineWidth = w;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
  }
}

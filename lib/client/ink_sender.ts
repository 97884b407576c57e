/**
 * The studio's ink as data: turns the whiteboard's pointer steps into compact
 * `ink` messages (lib/protocol.ts, points by lib/ink/ink_codec.ts) on the
 * publisher socket. A stroke goes out progressively: its first points after
 * `firstMs` (100 ms), then a batch every `intervalMs` (200 ms) while drawing,
 * so a viewer sees a stroke begin within a fraction of a second even at
 * 64 kbit/s, and a stroke costs a few hundred bytes (bench/ink_bench.ts).
 *
 * `sync()` sends a slide's whole ink (reset, then every stroke) the first
 * time it is shown on each connection, so a reconnect or a reload leaves the
 * server, and every viewer, with what the studio shows. Time and sending are
 * injected; no DOM.
 */
import { encodePoints, type InkPoint } from "../ink/ink_codec.ts";
import type { ClientMessage, InkOp, InkTool } from "../protocol.ts";

export interface InkSenderOptions {
  /** Sends on the publisher socket; false when not connected. */
  send: (message: ClientMessage) => boolean;
  now?: () => number;
  /** Delay of a stroke's first message: it shows soon, with a few points in it. */
  firstMs?: number;
  /** Delay of each later batch: fewer, fuller messages. */
  intervalMs?: number;
  /** Points per message at most (keeps a message far below the 8 KiB limit). */
  maxChunkPoints?: number;
}

interface OpenStroke {
  slide: number;
  tool: InkTool;
  color: string;
  width: number;
  pending: InkPoint[];
  /** False until the `stroke` message (with the first points) went out. */
  announced: boolean;
  sentAt: number;
}

export class InkSender {
  /** Bytes of every ink message sent (for the studio's figures and the benchmark). */
  sentBytes = 0;
  #o: Required<InkSenderOptions>;
  #open: OpenStroke | null = null;
  #epoch = 0;
  #synced = new Map<string, number>();

  constructor(options: InkSenderOptions) {
    this.#o = {
      now: () => performance.now(),
      firstMs: 100,
      intervalMs: 200,
      maxChunkPoints: 1000,
      ...options,
    };
  }

  /** A stroke begins on page `slide` at `point`; it goes out at the next flush. */
  begin(slide: number, tool: InkTool, color: string, width: number, point: InkPoint): void {
    this.end();
    this.#open = {
      slide,
      tool,
      color,
      width,
      pending: [point],
      announced: false,
      sentAt: this.#o.now(),
    };
  }

  /** A point of the open stroke; sends a batch when `intervalMs` passed since the last. */
  extend(point: InkPoint): void {
    if (!this.#open) return;
    this.#open.pending.push(point);
    this.tick();
  }

  /** Sends the open stroke's waiting points when due; call on a timer while drawing. */
  tick(now = this.#o.now()): void {
    const s = this.#open;
    if (!s || s.pending.length === 0) return;
    if (now - s.sentAt >= (s.announced ? this.#o.intervalMs : this.#o.firstMs)) this.#flush(false);
  }

  /** The open stroke ends: its last points go out with `done`. */
  end(): void {
    if (this.#open) this.#flush(true);
    this.#open = null;
  }

  /** Undo, redo, clear or reset on page `slide`. */
  step(slide: number, op: "undo" | "redo" | "clear" | "reset"): void {
    this.end();
    this.#send({ type: "ink", slide, op });
  }

  /** A new connection: every page is sent whole again when next shown. */
  connected(): void {
    this.#epoch++;
    this.#synced.clear();
  }

  /**
   * Page `slide` is shown: unless already sent on this connection, sends it
   * whole (`reset`, then its strokes). `page` names it across decks (a new
   * deck's page 0 is another page). False while not connected.
   */
  sync(
    slide: number,
    strokes: readonly { tool: InkTool; color: string; width: number; points: InkPoint[] }[],
    page = String(slide),
  ): boolean {
    if (this.#synced.get(page) === this.#epoch) return true;
    this.end();
    if (!this.#send({ type: "ink", slide, op: "reset" })) return false;
    for (const s of strokes) {
      const chunks = split(s.points, this.#o.maxChunkPoints);
      chunks.forEach((points, i) => {
        const done = i === chunks.length - 1;
        const pts = encodePoints(points);
        this.#send(
          i === 0
            ? {
              type: "ink",
              slide,
              op: "stroke",
              tool: s.tool,
              color: s.color,
              width: s.width,
              pts,
              done,
            }
            : { type: "ink", slide, op: "more", pts, done },
        );
      });
    }
    this.#synced.set(page, this.#epoch);
    return true;
  }

  #flush(done: boolean): void {
    const s = this.#open!;
    const chunks = split(s.pending, this.#o.maxChunkPoints);
    chunks.forEach((points, i) => {
      const pts = encodePoints(points);
      const last = done && i === chunks.length - 1;
      const op: InkOp = s.announced
        ? { op: "more", pts }
        : { op: "stroke", tool: s.tool, color: s.color, width: s.width, pts };
      s.announced = true;
      this.#send({ type: "ink", slide: s.slide, ...op, ...(last ? { done: true } : {}) });
    });
    s.pending = [];
    s.sentAt = this.#o.now();
  }

  #send(message: ClientMessage): boolean {
    const ok = this.#o.send(message);
    if (ok) this.sentBytes += JSON.stringify(message).length;
    return ok;
  }
}

function split<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [[]];
}

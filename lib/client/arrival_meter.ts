/**
 * How late a track's media arrives against real time: each media frame
 * carries its media time, and a stream that keeps up arrives with a steady
 * offset between wall clock and media time. The smallest offset seen over a
 * recent window is "on time"; `lateMs(now)` is how far the newest media is
 * behind that, counting time in which nothing came. A link that cannot carry
 * the stream shows here at once, seconds before the server sees any
 * backpressure. Pure; time is passed in.
 */

export interface ArrivalOptions {
  /** How far back the on-time offset is taken, ms: slow clock drift fades out of it. */
  windowMs?: number;
}

export class ArrivalMeter {
  readonly #windowMs: number;
  /** (wall ms, wall − media offset), oldest first, within the window. */
  #offsets: { at: number; offset: number }[] = [];
  #lastMediaMs: number | null = null;

  constructor(options: ArrivalOptions = {}) {
    this.#windowMs = options.windowMs ?? 10_000;
  }

  /** A media frame of media time `mediaMs` arrived at wall time `now`. */
  add(mediaMs: number, now: number): void {
    if (this.#lastMediaMs !== null && mediaMs + 1000 < this.#lastMediaMs) this.reset();
    this.#lastMediaMs = Math.max(this.#lastMediaMs ?? -Infinity, mediaMs);
    this.#offsets.push({ at: now, offset: now - mediaMs });
    const from = now - this.#windowMs;
    while (this.#offsets.length > 1 && this.#offsets[0].at < from) this.#offsets.shift();
  }

  /** The stream restarted (new init: media time starts over). */
  reset(): void {
    this.#offsets = [];
    this.#lastMediaMs = null;
  }

  /** How far the newest media is behind real time beyond the usual, ms; null before media. */
  lateMs(now: number): number | null {
    if (this.#lastMediaMs === null) return null;
    const onTime = Math.min(...this.#offsets.map((o) => o.offset));
    return Math.max(0, now - this.#lastMediaMs - onTime);
  }
}

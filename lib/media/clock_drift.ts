/**
 * How far a sound track's media time has fallen behind the presenter's clock.
 *
 * A MediaRecorder stamps sound by counting samples, pictures by their capture
 * time. When the page's audio under-delivers (a loaded machine: measured
 * here, Chromium's audio track gave 114.5 s of samples in 119 s of wall time
 * while the camera's stamps kept to the clock), sound's media time runs slow
 * and `clockMs + media time` puts each sound earlier than it was: lip sync
 * drifts by the samples lost, for good (they never come back).
 *
 * The publisher stamps each chunk with its clock when the recorder handed it
 * over (`sentAtMs`), so the network plays no part. Lateness = sentAt −
 * (clockMs + newest media time in the chunk) is the recorder's own latency
 * (and how late the page's event loop ran the handler) plus the samples lost
 * so far. Its lowest value over a sliding window, above
 * the lowest ever seen, is the shift to add to `clockMs`. Pure.
 */

export interface ClockDriftOptions {
  /** The floor is the lowest lateness over this long, ms (rides out encoder jitter). */
  windowMs?: number;
  /** Report a new shift only when it moved by at least this much, ms. */
  stepMs?: number;
}

export class ClockDrift {
  readonly #windowMs: number;
  readonly #stepMs: number;
  /** Lowest lateness ever: the recorder's latency with nothing lost. */
  #best = Infinity;
  #since = NaN;
  /** (time, lateness) with increasing lateness: the sliding window's minimum at its head. */
  #floor: { at: number; lateMs: number }[] = [];
  #shiftMs = 0;

  constructor(options: ClockDriftOptions = {}) {
    // Wide enough that a busy page (its dataavailable handlers run late for a
    // while: measured here, floors 0–34 ms above the best over 10 s windows)
    // does not move the voice; lost samples stay lost, so they still show.
    this.#windowMs = options.windowMs ?? 30_000;
    this.#stepMs = options.stepMs ?? 20;
  }

  /** Ms to add to the stream's `clockMs`: how far its media time ran slow (≥ 0). */
  get shiftMs(): number {
    return this.#shiftMs;
  }

  /**
   * Notes a chunk handed over at `sentAtMs` (presenter's clock) whose newest
   * frame starts at `mediaMs` of a stream whose media time 0 is `clockMs`.
   * Returns true when `shiftMs` changed.
   */
  note(sentAtMs: number, clockMs: number, mediaMs: number): boolean {
    const lateMs = sentAtMs - (clockMs + mediaMs);
    if (!Number.isFinite(lateMs)) return false;
    if (Number.isNaN(this.#since)) this.#since = sentAtMs;
    this.#best = Math.min(this.#best, lateMs);
    const floor = this.#floor;
    while (floor.length > 0 && floor[floor.length - 1].lateMs >= lateMs) floor.pop();
    floor.push({ at: sentAtMs, lateMs });
    while (floor[0].at <= sentAtMs - this.#windowMs) floor.shift();
    // Until a whole window was seen, its floor may still be a start-up latency.
    if (sentAtMs - this.#since < this.#windowMs) return false;
    const shift = Math.max(0, floor[0].lateMs - this.#best);
    if (Math.abs(shift - this.#shiftMs) < this.#stepMs) return false;
    this.#shiftMs = Math.round(shift);
    return true;
  }
}

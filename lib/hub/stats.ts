/**
 * Per-track figures for the API and the `stats` message: counters the track
 * and its subscribers bump, a bitrate meter over the last few seconds and the
 * average spacing of recent keyframes.
 */

/** A snapshot of one track, as the API reports it. */
export interface TrackStats {
  name: string;
  mime: string | null;
  live: boolean;
  viewers: number;
  bytesIn: number;
  bytesOut: number;
  segmentsIn: number;
  /** Segments viewers did not get because they were too slow. */
  skipped: number;
  /** Bits per second received over the last few seconds. */
  bitrate: number;
  /** Seconds of media (by arrival) a joining viewer could get. */
  bufferedSeconds: number;
  /** Average media-time spacing of recent keyframes, ms; null until two were seen. */
  keyframeIntervalMs: number | null;
  /** Media time from the newest keyframe to the newest segment, ms; null before a keyframe. */
  keyframeAgeMs: number | null;
  /** Ms to add to the stream's clockMs: its media time ran slow (see lib/media/clock_drift.ts). */
  clockShiftMs: number;
  /** Ms since the publisher last delivered to this track (its claim or its latest segment). */
  idleMs: number;
}

/** Bytes per time over a sliding window, fed with arrival times from an injected clock. */
export class RateMeter {
  #samples: Array<{ at: number; bytes: number }> = [];
  #bytes = 0;
  #first: number | null = null;

  constructor(readonly windowMs = 5000) {}

  record(bytes: number, at: number): void {
    this.#first ??= at;
    this.#samples.push({ at, bytes });
    this.#bytes += bytes;
    this.#prune(at);
  }

  /** Bits per second over the window ending at `now`; a younger stream divides by its age (at least 1 s). */
  bitsPerSecond(now: number): number {
    this.#prune(now);
    if (this.#first === null) return 0;
    const span = Math.max(1000, Math.min(this.windowMs, now - this.#first));
    return Math.round((this.#bytes * 8 * 1000) / span);
  }

  #prune(now: number): void {
    let n = 0;
    while (n < this.#samples.length && now - this.#samples[n].at >= this.windowMs) {
      this.#bytes -= this.#samples[n].bytes;
      n++;
    }
    if (n > 0) this.#samples.splice(0, n);
  }
}

/** Average spacing of the last few keyframes by media timestamp. */
export class KeyframeMeter {
  #times: number[] = [];
  #newest = NaN;

  constructor(readonly keep = 8) {}

  record(timestampMs: number): void {
    const last = this.#times.at(-1);
    // A timeline that jumps back (recorder restart without re-init) restarts the average.
    if (last !== undefined && timestampMs <= last) this.#times = [];
    this.#times.push(timestampMs);
    this.#newest = timestampMs;
    if (this.#times.length > this.keep) this.#times.shift();
  }

  /** Notes any media segment's timestamp, for `ageMs`. */
  seen(timestampMs: number): void {
    this.#newest = timestampMs;
  }

  /** Called on a new init segment: the new stream has its own timeline. */
  reset(): void {
    this.#times = [];
    this.#newest = NaN;
  }

  /** Media time since the newest keyframe, ms; null before the first one. */
  get ageMs(): number | null {
    const key = this.#times.at(-1);
    if (key === undefined || Number.isNaN(this.#newest)) return null;
    return Math.max(0, this.#newest - key);
  }

  get intervalMs(): number | null {
    const t = this.#times;
    return t.length < 2 ? null : (t[t.length - 1] - t[0]) / (t.length - 1);
  }
}

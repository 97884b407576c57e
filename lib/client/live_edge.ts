/**
 * Live-edge control for one MSE-fed `<video>`: given the buffered ranges, the
 * playhead and the time, decide the playback rate, when to seek (late join,
 * gaps, stalls, too far behind) and what to trim. Pure and DOM-free; the
 * player calls `update()` a few times a second and applies the decision.
 *
 * Invariant: a decision never seeks backwards into media already played,
 * except to land at `liveEnd - targetS` when the playhead is outside every
 * buffered range (e.g. timestamps restarted after a re-init).
 */

/** One buffered range in seconds, as in `TimeRanges`. */
export interface Range {
  start: number;
  end: number;
}

/** What the player observed. */
export interface EdgeInput {
  ranges: readonly Range[];
  currentTime: number;
  /** A paused video (autoplay refused, user paused) is never counted as stalled. */
  paused?: boolean;
  /** Wall-clock ms, monotonic. */
  now: number;
}

/** What the player should do. */
export interface EdgeDecision {
  /** Playback rate to set (1 … catchUpFastRate). */
  rate: number;
  /** Set `currentTime` to this, when present. */
  seekTo?: number;
  /** `SourceBuffer.remove(0, removeUpTo)`, when present. */
  removeUpTo?: number;
  /** Seconds between the playhead and the newest buffered media (0 when empty). */
  lag: number;
  /** Why a seek was decided, for logs and tests. */
  reason?: "start" | "gap" | "stall" | "behind";
}

/** Tuning; the defaults suit ~100 ms MediaRecorder chunks. */
export interface LiveEdgeOptions {
  /** Lag to aim for, seconds. */
  targetS?: number;
  /** Start speeding up above target + this. */
  catchUpAboveS?: number;
  /** Play at catchUpFastRate above this lag instead of catchUpRate. */
  fastAboveS?: number;
  catchUpRate?: number;
  catchUpFastRate?: number;
  /** Jump to the live edge above this lag. */
  maxLagS?: number;
  /** The playhead frozen this long with media ahead is a stall. */
  stallMs?: number;
  /** Keep this much played media behind the playhead… */
  keepBehindS?: number;
  /** …and trim once more than this is behind it. */
  trimAboveS?: number;
}

const DEFAULTS: Required<LiveEdgeOptions> = {
  targetS: 0.3,
  catchUpAboveS: 0.25,
  fastAboveS: 1.0,
  catchUpRate: 1.1,
  catchUpFastRate: 1.25,
  maxLagS: 2.0,
  stallMs: 600,
  keepBehindS: 3,
  trimAboveS: 8,
};

/** Seconds of slack when asking whether the playhead is inside a range. */
const EPS = 0.08;
/** After a seek, give the element this long before judging it again. */
const SETTLE_MS = 400;

/** Stateful live-edge controller for one video element. */
export class LiveEdge {
  readonly #o: Required<LiveEdgeOptions>;
  #catchingUp = false;
  #lastTime = NaN;
  #frozenSince = 0;
  #seekedAt = -Infinity;

  constructor(options: LiveEdgeOptions = {}) {
    this.#o = { ...DEFAULTS, ...options };
  }

  /** Forget history, e.g. after the player re-created its MediaSource. */
  reset(): void {
    this.#catchingUp = false;
    this.#lastTime = NaN;
    this.#seekedAt = -Infinity;
  }

  update({ ranges, currentTime: t, paused = false, now }: EdgeInput): EdgeDecision {
    const o = this.#o;
    if (ranges.length === 0) return { rate: 1, lag: 0 };
    const last = ranges[ranges.length - 1];
    const live = last.end;
    const lag = Math.max(0, live - t);
    const edge = Math.max(last.start, live - o.targetS);
    const decision: EdgeDecision = { rate: 1, lag };

    if (t !== this.#lastTime || paused) {
      this.#lastTime = t;
      this.#frozenSince = now;
    }
    const settling = now - this.#seekedAt < SETTLE_MS;
    const seek = (to: number, reason: EdgeDecision["reason"]): EdgeDecision => {
      this.#seekedAt = now;
      this.#catchingUp = false;
      this.#frozenSince = now;
      return { rate: 1, lag: Math.max(0, live - to), seekTo: to, reason };
    };

    if (!settling) {
      const i = ranges.findIndex((r) => r.start - EPS <= t && t <= r.end + EPS);
      if (i < 0) return seek(edge, "start");
      if (i < ranges.length - 1 && ranges[i].end - t < EPS * 2) {
        return seek(Math.max(ranges[i + 1].start, i + 1 === ranges.length - 1 ? edge : 0), "gap");
      }
      if (lag > o.maxLagS) return seek(edge, "behind");
      if (!paused && now - this.#frozenSince >= o.stallMs && lag > o.targetS) {
        return seek(Math.max(edge, t + 0.01), "stall");
      }
    }

    if (lag > o.targetS + o.catchUpAboveS) this.#catchingUp = true;
    else if (lag <= o.targetS + 0.05) this.#catchingUp = false;
    if (this.#catchingUp) decision.rate = lag > o.fastAboveS ? o.catchUpFastRate : o.catchUpRate;

    const first = ranges[0].start;
    if (t - first > o.trimAboveS) decision.removeUpTo = t - o.keepBehindS;
    return decision;
  }
}

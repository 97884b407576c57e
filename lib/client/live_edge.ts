/**
 * Live-edge control for one MSE-fed `<video>`: given the buffered ranges, the
 * playhead and the time, decide the playback rate, when to seek (late join,
 * gaps, stalls, too far behind) and what to trim. Pure and DOM-free; the
 * player calls `update()` a few times a second and applies the decision.
 *
 * Invariant: a decision never seeks backwards into media already played,
 * except to land at `liveEnd - landingS` when the playhead is outside every
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
  /**
   * The live end to aim at when it is older than this element's newest media:
   * the newest media every synced track has (av_sync.ts). Ahead of it, play a
   * little slower so the other tracks' media can arrive.
   */
  liveEnd?: number;
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
  /** Keep the element paused: the buffer is filling to `prerollS` at the start. */
  hold?: boolean;
}

/** Tuning; the defaults suit ~100 ms MediaRecorder chunks. */
export interface LiveEdgeOptions {
  /**
   * Lowest lag to keep, seconds: how close the buffer may come to running dry
   * just before the next chunk arrives. Catch-up aims the lowest lag seen over
   * the last `windowMs` at this, so the sawtooth of chunked arrivals does not
   * count as being behind.
   */
  targetS?: number;
  /** Lag to land at when seeking to the live edge: the target plus about one chunk. */
  landingS?: number;
  /** Start speeding up when the lowest lag is above target + this. */
  catchUpAboveS?: number;
  /** Play at catchUpFastRate when the lowest lag is above this, instead of catchUpRate. */
  fastAboveS?: number;
  catchUpRate?: number;
  catchUpFastRate?: number;
  /** Jump to the live edge above this lag. */
  maxLagS?: number;
  /** How far back the lowest lag is taken, ms. */
  windowMs?: number;
  /** The playhead frozen this long with media ahead is a stall. */
  stallMs?: number;
  /** Keep this much played media behind the playhead… */
  keepBehindS?: number;
  /** …and trim once more than this is behind it. */
  trimAboveS?: number;
  /** Rate while the playhead is ahead of `liveEnd`. */
  holdBackRate?: number;
  /**
   * Rate while the lowest lag is under half the target, until it is back near
   * the target (1: off). A viewer joins at the newest media, so a deep target
   * is only reached by playing a little slower for a while (on a slow link,
   * media never arrives faster than it plays).
   */
  fillRate?: number;
  /**
   * Seconds to buffer before playing at the start (0: off). On a slow,
   * shared link a voice that starts on a sliver stutters on every late chunk
   * until `fillRate` has deepened the buffer (seconds); one short wait that
   * fills it at once rides them out. Not after running dry mid-stream: a
   * rebuffer wait would only lengthen that gap.
   */
  prerollS?: number;
}

/** The controller's defaults; exported so tests hold the player to its own bounds. */
export const LIVE_EDGE_DEFAULTS: Required<LiveEdgeOptions> = {
  targetS: 0.1,
  landingS: 0.25,
  catchUpAboveS: 0.1,
  fastAboveS: 0.8,
  catchUpRate: 1.1,
  catchUpFastRate: 1.25,
  maxLagS: 2.0,
  windowMs: 1000,
  stallMs: 600,
  keepBehindS: 3,
  trimAboveS: 8,
  holdBackRate: 0.95,
  fillRate: 1,
  prerollS: 0,
};

/** Seconds of slack when asking whether the playhead is inside a range. */
const EPS = 0.08;
/** Less than this ahead of the playhead, the buffer has run dry (a stall, not a margin). */
const DRY_S = 0.04;
/** After a seek, give the element this long before judging it again. */
const SETTLE_MS = 400;

/** Stateful live-edge controller for one video element. */
export class LiveEdge {
  readonly #o: Required<LiveEdgeOptions>;
  #catchingUp = false;
  #filling = false;
  /** Waiting for `prerollS` of buffer before playing. */
  #holding: boolean;
  #lastTime = NaN;
  #frozenSince = 0;
  #seekedAt = -Infinity;
  /** Recent (time, lag) samples, oldest first, within `windowMs`; cleared by seeks. */
  #recent: { now: number; lag: number }[] = [];

  constructor(options: LiveEdgeOptions = {}) {
    this.#o = { ...LIVE_EDGE_DEFAULTS, ...options };
    this.#holding = this.#o.prerollS > 0;
  }

  /** Forget history, e.g. after the player re-created its MediaSource. */
  reset(): void {
    this.#catchingUp = false;
    this.#holding = this.#o.prerollS > 0;
    this.#lastTime = NaN;
    this.#seekedAt = -Infinity;
    this.#recent = [];
  }

  /** The lag this controller keeps at least, seconds. */
  get targetS(): number {
    return this.#o.targetS;
  }

  /** The element is already playing (new tuning mid-stream): no start pre-roll. */
  playing(): void {
    this.#holding = false;
  }

  /**
   * Fill toward the target from now on (at `fillRate`, if below 1), not only
   * once the lowest lag has fallen under half of it: the target just grew
   * mid-stream (a step down to a poorer link), and that link's first late
   * chunks come out of what is buffered now.
   */
  fill(): void {
    this.#filling = true;
  }

  update({ ranges, currentTime: t, paused = false, now, liveEnd }: EdgeInput): EdgeDecision {
    const o = this.#o;
    if (ranges.length === 0) return { rate: 1, lag: 0 };
    const last = ranges[ranges.length - 1];
    const live = liveEnd !== undefined && liveEnd > last.start
      ? Math.min(last.end, liveEnd)
      : last.end;
    const lag = Math.max(0, live - t);
    const edge = Math.max(last.start, live - o.landingS);
    const decision: EdgeDecision = { rate: 1, lag };

    if (this.#o.prerollS > 0) {
      if (this.#holding) {
        const inside = ranges.some((r) => r.start - EPS <= t && t <= r.end + EPS);
        if (lag >= this.#o.prerollS || lag > o.maxLagS) this.#holding = false;
        else if (inside) {
          this.#lastTime = t;
          this.#frozenSince = now;
          return { ...decision, hold: true };
        }
      }
    }

    if (t !== this.#lastTime || paused) {
      this.#lastTime = t;
      this.#frozenSince = now;
    }
    const settling = now - this.#seekedAt < SETTLE_MS;
    const seek = (to: number, reason: EdgeDecision["reason"]): EdgeDecision => {
      this.#seekedAt = now;
      this.#catchingUp = false;
      this.#frozenSince = now;
      this.#recent = [];
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

    // Enter catch-up on the lowest recent lag (the margin); leave it on the lag
    // now, which is never below the margin, so catching up cannot overshoot it.
    // Running dry starts the window afresh: what arrives after the stall is the
    // new margin, and samples from before it would hide the backlog it left.
    const recent = lag < DRY_S ? [] : this.#recent.filter((s) => now - s.now < o.windowMs);
    if (lag >= DRY_S) recent.push({ now, lag });
    this.#recent = recent;
    const margin = Math.min(lag, ...recent.map((s) => s.lag));
    if (margin > o.targetS + o.catchUpAboveS) this.#catchingUp = true;
    else if (lag <= o.targetS + 0.05) this.#catchingUp = false;
    if (this.#catchingUp) {
      decision.rate = margin > o.fastAboveS ? o.catchUpFastRate : o.catchUpRate;
    } else if (t > live + DRY_S) {
      decision.rate = o.holdBackRate;
    } else if (o.fillRate < 1) {
      if (margin < o.targetS / 2) this.#filling = true;
      else if (margin >= o.targetS * 0.9) this.#filling = false;
      if (this.#filling) decision.rate = o.fillRate;
    }

    const first = ranges[0].start;
    if (t - first > o.trimAboveS) decision.removeUpTo = t - o.keepBehindS;
    return decision;
  }
}

/**
 * Lip sync across tracks: voice, camera and whiteboard come from separate
 * MediaRecorders that started at different instants, and each init frame says
 * where its stream's media time 0 sits on the presenter's clock (`clockMs`).
 * Mapping every element's `currentTime` onto that one clock lets the viewer
 * play them together. Pure and DOM-free.
 *
 * The voice leads (a rate change on sound is heard, on a picture it is not):
 * it keeps its own live-edge control, but aimed at the newest media that every
 * synced track has (`sharedLiveEnd`), so it never runs ahead of the picture.
 * Each picture follows the voice: a small rate nudge for small errors, a seek
 * for large ones (`follow`).
 */
import type { Range } from "./live_edge.ts";

/** One player's position, in its own media seconds. */
export interface ClockedView {
  /** The presenter's clock (Unix ms) at this stream's media time 0; null when unknown. */
  clockMs: number | null;
  ranges: readonly Range[];
  currentTime: number;
}

/** What a following player should do. */
export interface FollowDecision {
  rate: number;
  seekTo?: number;
  /** Follower ahead (+) or behind (−) the leader, seconds. */
  errorS: number;
}

export interface FollowOptions {
  /** Errors below this are left alone, seconds. */
  deadbandS?: number;
  /** Errors above this are fixed by seeking, seconds. */
  seekAboveS?: number;
  /** A rate nudge removes the error over about this long, seconds. */
  settleS?: number;
  /** Nudged rates stay within leader rate × [1 − maxNudge, 1 + maxNudge]. */
  maxNudge?: number;
}

const FOLLOW: Required<FollowOptions> = {
  deadbandS: 0.015,
  seekAboveS: 0.3,
  settleS: 0.3,
  maxNudge: 0.5,
};

/** Slack when asking whether a time is buffered, seconds (as in live_edge.ts). */
const EPS = 0.08;

/** A media time of `view` on the shared clock (ms). */
export function toClock(view: ClockedView, t: number): number {
  return (view.clockMs ?? 0) + t * 1000;
}

/** A shared-clock time (ms) as a media time of `view`. */
export function fromClock(view: ClockedView, clockMs: number): number {
  return (clockMs - (view.clockMs ?? 0)) / 1000;
}

/** The newest buffered media of a view on the shared clock, or null when empty. */
export function endClock(view: ClockedView): number | null {
  const last = view.ranges.at(-1);
  return last ? toClock(view, last.end) : null;
}

/**
 * The live end the leader should aim at, on its own timeline: the newest media
 * that the leader and every follower have. A follower whose newest media is
 * more than `staleS` behind the leader's (a track that stopped sending) is not
 * waited for. Undefined when the leader has nothing buffered.
 */
export function sharedLiveEnd(
  leader: ClockedView,
  followers: readonly ClockedView[],
  staleS = 1,
): number | undefined {
  const own = endClock(leader);
  if (own === null) return undefined;
  let end = own;
  for (const f of followers) {
    const e = endClock(f);
    if (e !== null && e > own - staleS * 1000) end = Math.min(end, e);
  }
  return fromClock(leader, end);
}

/**
 * Steers a follower to the leader's place on the shared clock. Null when the
 * place is not in the follower's buffer (it has no media there yet, or the
 * stream just restarted): the follower then keeps its own live edge.
 */
export function follow(
  leaderClockMs: number,
  leaderRate: number,
  view: ClockedView,
  options: FollowOptions = {},
): FollowDecision | null {
  const o = { ...FOLLOW, ...options };
  const target = fromClock(view, leaderClockMs);
  if (!view.ranges.some((r) => r.start - EPS <= target && target <= r.end + EPS)) return null;
  const errorS = view.currentTime - target;
  const size = Math.abs(errorS);
  if (size > o.seekAboveS) return { rate: leaderRate, seekTo: target, errorS };
  if (size <= o.deadbandS) return { rate: leaderRate, errorS };
  const nudge = Math.max(-o.maxNudge, Math.min(o.maxNudge, -errorS / o.settleS));
  return { rate: round(leaderRate * (1 + nudge)), errorS };
}

function round(rate: number): number {
  return Math.round(rate * 100) / 100;
}

/**
 * Ticks a viewer's players together so voice, camera and whiteboard play in
 * sync on the presenter's clock (av_sync.ts). The `audio` player leads with
 * its own live-edge control, aimed at the newest media the camera also has
 * (lip sync); every other player with a clock follows it. The whiteboard does
 * not hold the voice back: its canvas capture runs late under load, and ink a
 * moment late costs less than a voice delayed for everyone; where it has no
 * media for the voice's place yet it plays at its own live edge. Without a
 * leader (no voice track, a stream without clocks such as an ffmpeg ingest,
 * or a voice track that stopped), each player keeps its own live edge.
 */
import { endClock, sharedLiveEnd, toClock } from "./av_sync.ts";
import type { EdgeDecision } from "./live_edge.ts";
import type { ClockedView } from "./av_sync.ts";

/** The part of MsePlayer the group drives. */
export interface SyncablePlayer {
  readonly clockMs: number | null;
  readonly rate: number;
  view(): ClockedView | null;
  tick(liveEnd?: number): EdgeDecision | null;
  follow(leaderClockMs: number, leaderRate: number): EdgeDecision | null;
}

/** The track whose player leads: the voice. */
export const LEADER_TRACK = "audio";
/** Tracks the voice waits for: the face, for lip sync. */
export const LIP_SYNC_TRACKS: readonly string[] = ["camera"];

/** A leader whose newest media is this far behind the camera's has stopped: no sync. */
const LEADER_STALE_MS = 1000;
/**
 * A follower whose newest media is this far behind the leader's on the clock
 * does not follow: its media comes late (a canvas starved of frames under
 * load) or it stopped; it keeps its own live edge.
 */
const FOLLOWER_ADRIFT_MS = 1500;

/**
 * One control step for every player; call a few times a second. Returns the
 * largest lag (seconds between playhead and newest media), or -1 when none
 * is playing. `live` says which tracks the room currently publishes.
 */
export function tickTogether(
  players: ReadonlyMap<string, SyncablePlayer>,
  live: (track: string) => boolean = () => true,
): number {
  let lag = -1;
  const note = (d: EdgeDecision | null) => (lag = Math.max(lag, d?.lag ?? -1));
  const leader = players.get(LEADER_TRACK);
  const leaderView = leader?.view() ?? null;
  const followers: [SyncablePlayer, ClockedView][] = [];
  const waitFor: ClockedView[] = [];
  for (const [track, p] of players) {
    if (p === leader) continue;
    const v = p.view();
    if (v && v.clockMs !== null) {
      followers.push([p, v]);
      if (LIP_SYNC_TRACKS.includes(track)) waitFor.push(v);
    } else note(p.tick());
  }
  const leaderEnd = leaderView ? endClock(leaderView) : null;
  const synced = leader && leaderView && leaderView.clockMs !== null && leaderEnd !== null &&
    live(LEADER_TRACK) &&
    !waitFor.some((v) => (endClock(v) ?? -Infinity) > leaderEnd + LEADER_STALE_MS);
  if (!synced) {
    if (leader) note(leader.tick());
    for (const [p] of followers) note(p.tick());
    return lag;
  }
  note(leader.tick(sharedLiveEnd(leaderView, waitFor)));
  const now = leader.view();
  if (!now) return lag;
  const clock = toClock(now, now.currentTime);
  for (const [p, v] of followers) {
    const adrift = (endClock(v) ?? -Infinity) < leaderEnd - FOLLOWER_ADRIFT_MS;
    note(adrift ? p.tick() : p.follow(clock, leader.rate));
  }
  return lag;
}

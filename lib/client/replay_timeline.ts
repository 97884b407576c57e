/**
 * Where each track is at a point of the recording's timeline: which part
 * (file) covers it and the media time inside that part. A part covers
 * `[offsetMs, offsetMs + durationMs)`; a part of unknown length (0, e.g. a
 * file still growing) runs until the next part starts. After a part's end,
 * until the next part, the track holds the part's last frame: a whiteboard
 * that did not change sent no frames (a canvas stream only sends changes),
 * and a frozen frame beats a blank while a presenter reconnects. Before the
 * first part a track shows nothing. Pure.
 */
import type { RecordingPart, RecordingTrack } from "../replay/recording.ts";

export interface TrackPosition {
  /** Index into `track.parts`. */
  index: number;
  part: RecordingPart;
  /** Seconds into the part's file: what `video.currentTime` should be. */
  mediaS: number;
  /** Past the part's end: show its last frame, paused. */
  held: boolean;
}

/** Tolerance at a part's end, so rounding of durations never opens a gap. */
const EDGE_MS = 50;
/** A held part is shown this far before its end, where its last frame surely is. */
const HOLD_BACK_S = 0.05;

/** The part of `track` at `ms`, or null before its first part. */
export function locate(track: RecordingTrack, ms: number): TrackPosition | null {
  const parts = track.parts;
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i];
    if (ms < p.offsetMs) continue;
    const next = parts[i + 1]?.offsetMs ?? Infinity;
    const end = p.durationMs > 0 ? p.offsetMs + p.durationMs + EDGE_MS : next;
    if (ms < Math.min(end, next)) {
      return { index: i, part: p, mediaS: (ms - p.offsetMs) / 1000, held: false };
    }
    return {
      index: i,
      part: p,
      mediaS: Math.max(0, p.durationMs / 1000 - HOLD_BACK_S),
      held: true,
    };
  }
  return null;
}

/** The timeline ms of a media time in part `index` of `track`. */
export function timelineMs(track: RecordingTrack, index: number, mediaS: number): number {
  return (track.parts[index]?.offsetMs ?? 0) + mediaS * 1000;
}

/**
 * The order in which tracks may lead the clock: what is heard first (a
 * stall in sound is noticed, a video frame held a little longer is not),
 * then the camera, then the rest as listed.
 */
export function masterOrder(tracks: readonly RecordingTrack[]): string[] {
  const rank = (t: RecordingTrack) =>
    t.name === "audio" ? 0 : t.name === "camera" ? 1 : t.name === "whiteboard" ? 3 : 2;
  return [...tracks].sort((a, b) => rank(a) - rank(b)).map((t) => t.name);
}

/**
 * What the REST API shows of a recording (docs/api.md, docs/recording.md).
 * URLs are paths on this server. The key hash never leaves the server.
 */
import type { RecordingMeta } from "./meta.ts";

export interface PartView {
  url: string;
  mime: string;
  offsetMs: number;
  durationMs: number;
  bytes: number;
}

export interface TrackView {
  name: string;
  mime: string;
  bytes: number;
  /** The first part. */
  url: string;
  parts: PartView[];
}

export interface RecordingView {
  id: string;
  roomId: string;
  title: string;
  /** Unix ms of timeline 0. */
  startedAt: number;
  durationSeconds: number;
  live: boolean;
  unlisted: boolean;
  tracks: TrackView[];
  eventsUrl: string;
  replayUrl: string;
  downloadUrl: string;
  /** Why recording stopped early (disk full...), or null. */
  error: string | null;
}

export function recordingView(meta: RecordingMeta): RecordingView {
  const base = `/recordings/${meta.id}`;
  const tracks = new Map<string, TrackView>();
  for (const part of meta.parts) {
    const view: PartView = {
      url: `${base}/${part.file}`,
      mime: part.mime,
      offsetMs: part.offsetMs,
      durationMs: part.durationMs,
      bytes: part.bytes,
    };
    const track = tracks.get(part.track);
    if (track) {
      track.parts.push(view);
      track.bytes += part.bytes;
    } else {
      tracks.set(part.track, {
        name: part.track,
        mime: part.mime,
        bytes: part.bytes,
        url: view.url,
        parts: [view],
      });
    }
  }
  return {
    id: meta.id,
    roomId: meta.roomId,
    title: meta.title,
    startedAt: meta.startedAt,
    durationSeconds: Math.round(meta.durationMs) / 1000,
    live: meta.live,
    unlisted: meta.unlisted,
    tracks: [...tracks.values()],
    eventsUrl: `${base}/events.json`,
    replayUrl: `/r/${meta.id}`,
    downloadUrl: `${base}/lesson.zip`,
    error: meta.error,
  };
}

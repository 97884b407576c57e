/**
 * A recording as `GET /api/recordings/:id` describes it (docs/recording.md),
 * read defensively: the replay page, the studio's list, the home page and the
 * offline player all go through `parseRecording`, so a missing or mistyped
 * field drops a part (or the recording), never breaks a page. Pure: no I/O.
 */

/** One media file of a track. `offsetMs` places its media time 0 on the recording's clock. */
export interface RecordingPart {
  url: string;
  mime: string;
  offsetMs: number;
  durationMs: number;
  bytes: number;
}

/** A recorded track (`camera`, `whiteboard`, `audio`) and its parts, oldest first. */
export interface RecordingTrack {
  name: string;
  mime: string;
  bytes: number;
  url: string;
  parts: RecordingPart[];
}

export interface RecordingInfo {
  id: string;
  roomId: string;
  title: string;
  /** Unix ms. */
  startedAt: number;
  durationSeconds: number;
  /** True while the lesson is still being recorded (the files grow). */
  live: boolean;
  unlisted: boolean;
  tracks: RecordingTrack[];
  eventsUrl: string;
  replayUrl: string;
  downloadUrl: string;
}

const str = (v: unknown, fallback = ""): string => typeof v === "string" ? v : fallback;
const num = (v: unknown, fallback = 0): number =>
  typeof v === "number" && Number.isFinite(v) ? v : fallback;

function parsePart(p: unknown): RecordingPart | null {
  const o = p as Record<string, unknown> | null;
  if (typeof o?.url !== "string" || !o.url) return null;
  return {
    url: o.url,
    mime: str(o.mime),
    offsetMs: num(o.offsetMs),
    durationMs: Math.max(0, num(o.durationMs)),
    bytes: Math.max(0, num(o.bytes)),
  };
}

function parseTrack(t: unknown): RecordingTrack | null {
  const o = t as Record<string, unknown> | null;
  if (typeof o?.name !== "string" || !/^[a-z][a-z0-9-]{0,31}$/.test(o.name)) return null;
  let parts = Array.isArray(o.parts)
    ? o.parts.map(parsePart).filter((p): p is RecordingPart => p !== null)
    : [];
  // A server that lists no parts still gives the track's file: one part from 0.
  if (parts.length === 0 && typeof o.url === "string" && o.url) {
    parts = [{ url: o.url, mime: str(o.mime), offsetMs: 0, durationMs: 0, bytes: num(o.bytes) }];
  }
  if (parts.length === 0) return null;
  parts.sort((a, b) => a.offsetMs - b.offsetMs);
  return {
    name: o.name,
    mime: str(o.mime, parts[0].mime),
    bytes: num(o.bytes, parts.reduce((n, p) => n + p.bytes, 0)),
    url: str(o.url, parts[0].url),
    parts,
  };
}

/** A recording from an API body, or null when it lacks an id. */
export function parseRecording(body: unknown): RecordingInfo | null {
  const o = body as Record<string, unknown> | null;
  if (typeof o?.id !== "string" || !o.id) return null;
  const id = o.id;
  const tracks = Array.isArray(o.tracks)
    ? o.tracks.map(parseTrack).filter((t): t is RecordingTrack => t !== null)
    : [];
  const enc = encodeURIComponent(id);
  return {
    id,
    roomId: str(o.roomId),
    title: str(o.title, "Untitled lesson") || "Untitled lesson",
    startedAt: num(o.startedAt),
    durationSeconds: Math.max(0, num(o.durationSeconds)),
    live: o.live === true,
    unlisted: o.unlisted === true,
    tracks,
    eventsUrl: str(o.eventsUrl, `/recordings/${enc}/events.json`),
    replayUrl: str(o.replayUrl, `/r/${enc}`),
    downloadUrl: str(o.downloadUrl, `/recordings/${enc}/lesson.zip`),
  };
}

/** The recordings of a `GET /api/recordings` body (an array, or `{recordings: [...]}`). */
export function parseRecordingList(body: unknown): RecordingInfo[] {
  const list = Array.isArray(body) ? body : (body as { recordings?: unknown })?.recordings;
  if (!Array.isArray(list)) return [];
  return list.map(parseRecording).filter((r): r is RecordingInfo => r !== null);
}

/**
 * The recording's length in ms: the stated duration, or where the last part of
 * any track ends when that is later (a live recording's figure lags its files).
 */
export function recordingDurationMs(rec: RecordingInfo): number {
  let end = rec.durationSeconds * 1000;
  for (const t of rec.tracks) {
    for (const p of t.parts) end = Math.max(end, p.offsetMs + p.durationMs);
  }
  return end;
}

/** "1:05:09", "4:07": a position or a length for people. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

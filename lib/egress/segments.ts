/**
 * Pull mode: a track as immutable, numbered pieces that any HTTP cache can
 * serve (nginx, Varnish, a CDN), read straight from the hub's ring.
 *
 * - `GET /s/:id/:track/segments`: the index, `{generation, init, segments:
 *   [{n, url, keyframe, startMs, durationMs}], next}`, cached for 1 s.
 * - `GET /s/:id/:track/g/:generation/init` and `…/g/:generation/:n`: the
 *   init segment and media piece `n`, immutable for a year.
 *
 * One piece is one hub packet (one publisher push, ~100 ms of media from a
 * MediaRecorder): nothing waits to fill a bigger piece, so pull mode adds no
 * latency of its own, and the pieces are the bytes WebSocket viewers get.
 * A request for a piece not yet there (up to `MAX_AHEAD` past the newest)
 * waits for it, so players and caches long-poll instead of polling; after
 * `waitMs` it is a 404 that nobody caches. A piece that fell out of the ring,
 * or a generation that is not current any more, is a 410: it never returns.
 *
 * `generation` numbers the track's inits (see Track): a presenter who
 * reconnects starts a new generation and new URLs, so cached pieces never go
 * stale. `n` counts media packets within a generation from 0.
 */
import type { Packet } from "../hub/packet.ts";
import type { Room } from "../hub/room.ts";
import type { Track } from "../hub/track.ts";
import { NotFoundError, UserError } from "../errors.ts";
import { jsonError } from "../web/error_response.ts";

/** What was asked for, for the request counter in /metrics. */
export type SegmentRequestKind = "index" | "init" | "piece";

export interface SegmentOptions {
  /** How long a request for a piece not yet there waits before a 404, ms (default 5000). */
  waitMs?: number;
  /** Counts each request, e.g. into /metrics. */
  count?: (kind: SegmentRequestKind) => void;
}

export const DEFAULT_WAIT_MS = 5000;
/** A request this many pieces past the next one is a mistake, not a long-poll. */
export const MAX_AHEAD = 3;

export const IMMUTABLE = "public, max-age=31536000, immutable";
/** The index changes with every piece; a cache may share it for a second. */
export const INDEX_CACHE = "public, max-age=1";

/** One entry of the index. */
export interface PieceEntry {
  n: number;
  url: string;
  keyframe: boolean;
  /** Media time of the piece's first frame on the stream's own timeline, ms. */
  startMs: number;
  /** Until the next piece's start; the newest piece repeats the one before (an estimate). */
  durationMs: number;
}

export interface SegmentIndex {
  generation: number;
  /** URL of the init segment of this generation. */
  init: string;
  /** The pieces the ring holds, oldest first. */
  segments: PieceEntry[];
  /** `n` of the piece that comes next; requesting it waits until it exists. */
  next: number;
}

/** Base path of a track's pull-mode URLs. */
export function trackPath(roomId: string, track: string): string {
  return `/s/${encodeURIComponent(roomId)}/${encodeURIComponent(track)}`;
}

/** The index of `track` now. Pure: reads the track's ring. Null while the track has no init. */
export function segmentIndex(roomId: string, track: Track): SegmentIndex | null {
  const init = track.init;
  if (!init) return null;
  const base = `${trackPath(roomId, track.name)}/g/${init.generation}`;
  const ring = track.ring;
  const segments: PieceEntry[] = [];
  for (let i = 0; i < ring.length; i++) {
    const p = ring.at(i)!;
    const after = ring.at(i + 1);
    const s = p.segment;
    const startMs = s.type === "media" ? s.timestampMs : 0;
    const nextStart = after?.segment.type === "media" ? after.segment.timestampMs : NaN;
    const durationMs = Number.isFinite(nextStart)
      ? Math.max(0, nextStart - startMs)
      : (segments[segments.length - 1]?.durationMs ?? 0);
    segments.push({ n: p.seq, url: `${base}/${p.seq}`, keyframe: p.keyframe, startMs, durationMs });
  }
  return { generation: init.generation, init: `${base}/init`, segments, next: track.nextSeq };
}

/** The index is encoded once per change of the ring, not once per request. */
const encoded = new WeakMap<Track, { key: string; body: string }>();

function indexBody(roomId: string, track: Track): string | null {
  const init = track.init;
  if (!init) return null;
  const ring = track.ring;
  const key = `${init.generation}:${ring.at(0)?.seq ?? -1}:${ring.length}`;
  const memo = encoded.get(track);
  if (memo?.key === key) return memo.body;
  const body = JSON.stringify(segmentIndex(roomId, track));
  encoded.set(track, { key, body });
  return body;
}

function trackOf(room: Room, name: string): Track {
  const track = room.track(name);
  if (!track) {
    throw new NotFoundError(
      `room ${room.id} has no track "${name.slice(0, 40)}"; try camera or whiteboard`,
    );
  }
  return track;
}

/** A whole number from a URL part, or UserError saying what is expected. */
export function parseNumber(text: string, what: string): number {
  if (!/^\d{1,15}$/.test(text)) {
    throw new UserError(
      `${what} must be a whole number, e.g. taken from /s/ROOM/TRACK/segments`,
    );
  }
  return Number(text);
}

/** The API's JSON error (lib/web/error_response.ts) with the caching this answer allows. */
function text(status: 404 | 410, message: string, cacheControl: string): Response {
  const res = jsonError(status, status === 410 ? "gone" : "not-found", message);
  res.headers.set("cache-control", cacheControl);
  return res;
}

/**
 * `GET /s/:id/:track/segments`. Every answer, a missing room or track
 * included, may be cached for a second: players poll the index of a track
 * that is not live yet, and behind a cache that costs the origin one
 * request a second, not one per viewer.
 */
export function indexResponse(
  room: () => Room,
  name: string,
  options: SegmentOptions = {},
): Response {
  options.count?.("index");
  let body: string | null;
  let track: Track;
  try {
    const r = room();
    track = trackOf(r, name);
    body = indexBody(r.id, track);
  } catch (err) {
    if (err instanceof NotFoundError) return text(404, err.message, INDEX_CACHE);
    throw err;
  }
  if (body === null) {
    return text(
      404,
      `track "${track.name}" is not live yet; this index appears when the presenter goes live`,
      INDEX_CACHE,
    );
  }
  return new Response(body, {
    headers: { "content-type": "application/json", "cache-control": INDEX_CACHE },
  });
}

/** 410: the piece or generation will never be served again, so a cache may remember that. */
function gone(room: Room, track: Track, generation: number, what: string): Response {
  const index = `${trackPath(room.id, track.name)}/segments`;
  return text(
    410,
    track.init?.generation === generation
      ? `${what} has left the server's buffer; read ${index} for the newest pieces`
      : `generation ${generation} of track "${track.name}" is over; read ${index} for the current one`,
    "public, max-age=60",
  );
}

function mediaResponse(req: Request, packet: Packet, mime: string, tag: string): Response {
  const etag = `"${tag}"`;
  const headers: Record<string, string> = {
    "content-type": mime,
    "cache-control": IMMUTABLE,
    etag,
    "x-keyframe": packet.keyframe ? "1" : "0",
  };
  if (req.headers.get("if-none-match") === etag) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(packet.segment.bytes as Uint8Array<ArrayBuffer>, { headers });
}

/** `GET /s/:id/:track/g/:generation/init`. */
export function initResponse(
  req: Request,
  room: Room,
  name: string,
  generationText: string,
  options: SegmentOptions = {},
): Response {
  options.count?.("init");
  const generation = parseNumber(generationText, "the generation");
  const track = trackOf(room, name);
  const init = track.init;
  if (!init || init.generation < generation) {
    return text(404, `generation ${generation} of track "${track.name}" has not begun`, "no-store");
  }
  if (init.generation !== generation) return gone(room, track, generation, "this init segment");
  const res = mediaResponse(req, init, track.mime ?? "video/webm", `g${generation}-init`);
  // Where this stream's media time 0 sits on the presenter's clock: players line tracks up by it.
  const clockMs = init.segment.type === "init" ? init.segment.clockMs : undefined;
  if (clockMs !== undefined) res.headers.set("x-clock-ms", String(clockMs));
  return res;
}

/** Where piece `n` of `generation` stands in the track now. */
type Lookup =
  | { kind: "found"; packet: Packet }
  | { kind: "pending" }
  | { kind: "ahead" }
  | { kind: "gone" }
  | { kind: "not-begun" };

function lookup(track: Track, generation: number, n: number): Lookup {
  const init = track.init;
  if (!init || init.generation < generation) return { kind: "not-begun" };
  if (init.generation !== generation) return { kind: "gone" };
  const ring = track.ring;
  const first = ring.at(0);
  const next = track.nextSeq;
  if (n >= next) return n - next < MAX_AHEAD ? { kind: "pending" } : { kind: "ahead" };
  if (!first || n < first.seq) return { kind: "gone" };
  return { kind: "found", packet: ring.at(n - first.seq)! };
}

/** Waits until the track changes or `ms` pass; true when it changed. */
async function waitForChange(track: Track, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([track.changed().then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `GET /s/:id/:track/g/:generation/:n`: the piece, waiting for it when it is the next one. */
export async function pieceResponse(
  req: Request,
  room: Room,
  name: string,
  generationText: string,
  nText: string,
  options: SegmentOptions = {},
): Promise<Response> {
  options.count?.("piece");
  const generation = parseNumber(generationText, "the generation");
  const n = parseNumber(nText, "the piece number");
  const track = trackOf(room, name);
  const deadline = performance.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  for (;;) {
    const found = lookup(track, generation, n);
    switch (found.kind) {
      case "found":
        return mediaResponse(req, found.packet, track.mime ?? "video/webm", `g${generation}-${n}`);
      case "gone":
        return gone(room, track, generation, `piece ${n}`);
      case "not-begun":
        return text(
          404,
          `generation ${generation} of track "${track.name}" has not begun`,
          "no-store",
        );
      case "ahead":
        return text(
          404,
          `piece ${n} is too far ahead of the live edge; read the segments index and ask for its "next"`,
          "no-store",
        );
      case "pending": {
        const left = deadline - performance.now();
        if (left <= 0) {
          return text(
            404,
            `piece ${n} did not arrive in time (the presenter may have paused); ask again or read the segments index`,
            "no-store",
          );
        }
        await waitForChange(track, left);
      }
    }
  }
}

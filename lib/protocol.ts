/**
 * The wire protocol between browsers and the server, shared by both sides
 * (bundled for islands, so no Deno APIs). Two kinds of WebSocket frames:
 *
 * - binary frames carry media, one format in both directions
 *   (`encodeMedia`/`decodeMedia`): kind, flags, track name, timestamp,
 *   MIME for init segments, then the payload;
 * - text frames carry JSON control messages, a discriminated union on `type`
 *   (`encodeClient`/`decodeClient` for browser→server,
 *   `encodeServer`/`decodeServer` for server→browser).
 *
 * Every decoder validates every field and throws ProtocolError with a message
 * that names the problem. Unknown fields are ignored so that a newer peer can
 * add optional fields; unknown `type`s and media kinds are rejected.
 * docs/protocol.md describes the session flow.
 */
import { CLOSE, ProtocolError } from "./errors.ts";

export { CLOSE };

/** Sent in `hello` and `welcome`; bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/** What a track may be called: camera, whiteboard, screen-2, ... */
export const TRACK_NAME = /^[a-z0-9-]{1,32}$/;

/**
 * Tracks that copy another for live viewers on slow links (`camera-low`, a
 * small encode of `camera`; `audio-low`, a small encode of the voice):
 * recordings leave them out, the original is there.
 */
export const LIVE_ONLY_TRACKS: ReadonlySet<string> = new Set(["camera-low", "audio-low"]);

/** Largest media frame accepted by `decodeMedia` unless told otherwise. */
export const MAX_MEDIA_MESSAGE_BYTES = 16 * 1024 * 1024;

// ---------------------------------------------------------------- media frames

/** Byte 0 of a media frame. */
export const MediaKind = { init: 1, media: 2, chunk: 3 } as const;

const FLAG_KEYFRAME = 1;
const FLAG_START = 2;
const MAX_MIME_BYTES = 255;

/** An init segment (server → viewer): players reset their decoder on it. */
export interface InitMessage {
  kind: "init";
  track: string;
  mime: string;
  /**
   * Where this stream's media time 0 sits on the presenter's clock (Unix ms,
   * from `track-start.clockMs`); absent when unknown. Every track of a room is
   * on that one clock, so players line tracks up by it (lip sync). Sent in the
   * init frame's timestamp field (0 = unknown).
   */
  clockMs?: number;
  payload: Uint8Array;
}

/** A media segment (server → viewer); `keyframe` marks a place a player may begin. */
export interface MediaMessage {
  kind: "media";
  track: string;
  keyframe: boolean;
  start: boolean;
  timestampMs: number;
  payload: Uint8Array;
}

/** A raw MediaRecorder chunk (publisher → server); the server parses it. */
export interface ChunkMessage {
  kind: "chunk";
  track: string;
  /**
   * The presenter's clock (Unix ms) when the recorder handed this chunk over;
   * 0 when unknown. The server measures sound tracks' drift with it.
   */
  timestampMs: number;
  payload: Uint8Array;
}

export type MediaFrame = InitMessage | MediaMessage | ChunkMessage;

/**
 * Encodes a media frame: header then payload, in one new buffer. The server
 * calls it once per segment and sends the same bytes to every viewer.
 */
export function encodeMedia(frame: MediaFrame): Uint8Array<ArrayBuffer> {
  const track = asciiTrack(frame.track);
  const mime = frame.kind === "init" ? new TextEncoder().encode(frame.mime) : null;
  if (mime && (mime.byteLength === 0 || mime.byteLength > MAX_MIME_BYTES)) {
    throw new ProtocolError(`MIME type must be 1 to ${MAX_MIME_BYTES} bytes`);
  }
  const headerSize = 3 + track.byteLength + 8 + (mime ? 2 + mime.byteLength : 0);
  const out = new Uint8Array(headerSize + frame.payload.byteLength);
  const view = new DataView(out.buffer);
  let flags = 0;
  if (frame.kind === "media") {
    flags = (frame.keyframe ? FLAG_KEYFRAME : 0) | (frame.start ? FLAG_START : 0);
  }
  out[0] = MediaKind[frame.kind];
  out[1] = flags;
  out[2] = track.byteLength;
  out.set(track, 3);
  let at = 3 + track.byteLength;
  view.setFloat64(at, frame.kind === "init" ? frame.clockMs ?? 0 : frame.timestampMs);
  at += 8;
  if (mime) {
    view.setUint16(at, mime.byteLength);
    out.set(mime, at + 2);
    at += 2 + mime.byteLength;
  }
  out.set(frame.payload, at);
  return out;
}

/**
 * Decodes a media frame. The payload is a view into `bytes` (no copy). Unknown
 * flag bits are ignored; everything else malformed throws ProtocolError.
 */
export function decodeMedia(bytes: Uint8Array, maxBytes = MAX_MEDIA_MESSAGE_BYTES): MediaFrame {
  if (bytes.byteLength > maxBytes) {
    throw new ProtocolError(`media message too large (${bytes.byteLength} > ${maxBytes} bytes)`);
  }
  if (bytes.byteLength < 3) throw new ProtocolError("media message too short");
  const kind = bytes[0];
  const flags = bytes[1];
  const n = bytes[2];
  if (kind !== MediaKind.init && kind !== MediaKind.media && kind !== MediaKind.chunk) {
    throw new ProtocolError(`unknown media message kind ${kind}`);
  }
  if (bytes.byteLength < 3 + n + 8) throw new ProtocolError("media message too short");
  let track = "";
  for (let i = 0; i < n; i++) track += String.fromCharCode(bytes[3 + i]);
  if (!TRACK_NAME.test(track)) throw new ProtocolError("bad track name in media message");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 3 + n;
  const timestampMs = view.getFloat64(at);
  at += 8;
  if (!Number.isFinite(timestampMs)) throw new ProtocolError("bad timestamp in media message");
  if (kind === MediaKind.init) {
    if (bytes.byteLength < at + 2) throw new ProtocolError("media message too short");
    const mimeLength = view.getUint16(at);
    at += 2;
    if (mimeLength === 0 || bytes.byteLength < at + mimeLength) {
      throw new ProtocolError("bad MIME type in init message");
    }
    const mime = new TextDecoder().decode(bytes.subarray(at, at + mimeLength));
    const payload = bytes.subarray(at + mimeLength);
    if (timestampMs === 0) return { kind: "init", track, mime, payload };
    return { kind: "init", track, mime, clockMs: timestampMs, payload };
  }
  const payload = bytes.subarray(at);
  if (kind === MediaKind.chunk) return { kind: "chunk", track, timestampMs, payload };
  return {
    kind: "media",
    track,
    keyframe: (flags & FLAG_KEYFRAME) !== 0,
    start: (flags & FLAG_START) !== 0,
    timestampMs,
    payload,
  };
}

function asciiTrack(track: string): Uint8Array {
  if (!TRACK_NAME.test(track)) throw new ProtocolError(`bad track name "${track.slice(0, 40)}"`);
  return Uint8Array.from(track, (c) => c.charCodeAt(0));
}

// ---------------------------------------------------------------- JSON messages

export type Role = "publisher" | "viewer";

/** A chat line as the server relays and stores it. */
export interface ChatEntry {
  id: string;
  /** Participant id of the author (from their `welcome`). */
  from: string;
  name: string;
  text: string;
  /** Unix milliseconds. */
  at: number;
}

export interface TrackState {
  name: string;
  /** MIME type with codecs, or null before the publisher said. */
  mime: string | null;
  live: boolean;
}

export interface TrackHint {
  name: string;
  /** Bits per second over the last few seconds. */
  bitrate: number;
  /** Average spacing of recent keyframes; null until two were seen. */
  keyframeIntervalMs: number | null;
  /**
   * Media time from the newest keyframe to the newest frame, ms: above a few
   * seconds the recorder keys too rarely, which shows before two keyframes do.
   */
  keyframeAgeMs?: number;
  /** Segments of this track that viewers missed because they were too slow, since it began. */
  skipped?: number;
  /** Viewers watching this track. */
  viewers?: number;
  /**
   * Ms to add to the stream's `clockMs` (from its init): how far a sound
   * track's media time has run slow against the presenter's clock (samples the
   * page's audio never delivered). Absent or 0: none. See docs/protocol.md.
   */
  clockShiftMs?: number;
  /**
   * Ms since the track's publisher last delivered anything, when that is 500
   * or more (a stalled recorder or uplink, or a publisher gone): what comes
   * late meanwhile is not the viewer's link. Absent: media flows.
   */
  idleMs?: number;
}

/** In `stats` to a viewer: how delivery to this very connection goes. */
export interface DeliveryStats {
  /** Segments waiting in the server's queue for this viewer now. */
  queued: number;
  /** Bytes the server's socket to this viewer has not sent yet. */
  pendingBytes: number;
  /** Segments this viewer missed (skipped ahead) since it connected. */
  skipped: number;
  /** Bytes sent to this viewer since it connected. */
  sentBytes: number;
}

/** Pen or eraser; an eraser stroke removes ink only, never the slide under it. */
export type InkTool = "pen" | "eraser";

/**
 * One step of a slide's ink (docs/protocol.md "Ink"). `stroke` begins a
 * stroke (tool, colour, width in board pixels at pressure 0.5, and its first
 * points), `more` adds points to the stroke begun last, `done` ends it; the
 * points are lib/ink/ink_codec.ts strings. `undo`/`redo`/`clear` are the
 * whiteboard's own steps, `reset` empties the slide (no undo).
 */
export type InkOp =
  | { op: "stroke"; tool: InkTool; color: string; width: number; pts: string; done?: boolean }
  | { op: "more"; pts: string; done?: boolean }
  | { op: "undo" }
  | { op: "redo" }
  | { op: "clear" }
  | { op: "reset" };

/** Ink on slide `slide` (0-based) of the current deck, or of the plain board when there is none. */
export type InkMessage = InkOp & { type: "ink"; slide: number };

/** One stored image of a slide page: its pixel size and immutable URL. */
export interface SlideRendition {
  w: number;
  h: number;
  url: string;
}

/**
 * The slide shown now. `deck` null: no deck, the plain whiteboard (count 0).
 * `renditions` are the current page's images, smallest first.
 */
export interface SlideMessage {
  type: "slide";
  deck: string | null;
  index: number;
  count: number;
  renditions: SlideRendition[];
}

/** Messages both sides may send. `t` is echoed back in `pong` to measure round trips. */
export type PingMessage = { type: "ping"; t?: number };
export type PongMessage = { type: "pong"; t?: number };

/** Browser → server. */
export type ClientMessage =
  | {
    type: "hello";
    v: number;
    role: Role;
    room: string;
    /** The room key; publishers only, never in the URL. */
    key?: string;
    /** Display name for chat; viewers only. */
    name?: string;
    /**
     * Viewers only: the tracks to receive (default every track), e.g. `["audio"]`;
     * `[]` for none (a viewer that plays over pull mode, or voice-only elsewhere).
     * `media: false`, which older clients send, decodes as `tracks: []`.
     */
    tracks?: string[];
    /**
     * Viewers only: the `welcome.lane` token of this viewer's main connection.
     * Makes this connection that one's media lane (docs/protocol.md "Lanes").
     */
    lane?: string;
  }
  | {
    type: "track-start";
    track: string;
    mime: string;
    /**
     * The presenter's clock (Unix ms) at this stream's media time 0, the same
     * clock for every track, so viewers can play the tracks in sync.
     */
    clockMs?: number;
  }
  | { type: "track-stop"; track: string }
  /** Viewers: receive these tracks from now on (null: every track), e.g. voice alone. */
  | { type: "subscribe"; tracks: string[] | null }
  | PingMessage
  | PongMessage
  | { type: "chat"; text: string }
  | { type: "chat-delete"; id: string }
  | { type: "chat-mute"; participant: string }
  | InkMessage;

/** Server → browser. */
export type ServerMessage =
  | {
    type: "welcome";
    v: number;
    role: Role;
    room: { id: string; title: string };
    participant: string;
    /** The name this connection chats under ("Presenter", the viewer's pick, or "Guest-1a2b"). */
    name?: string;
    /** Viewers: the token a media lane of this connection says in its hello (docs/protocol.md "Lanes"). */
    lane?: string;
  }
  | {
    type: "state";
    live: boolean;
    tracks: TrackState[];
    viewers: number;
    /** Unix milliseconds when the room went live, null when no publisher. */
    liveSince: number | null;
    /** The room's title; sent again when the presenter renames the room. */
    title?: string;
  }
  | { type: "error"; code: string; message: string }
  | { type: "ended"; reason: string }
  | PingMessage
  | PongMessage
  | ChatEntry & { type: "chat" }
  | { type: "chat-history"; messages: ChatEntry[] }
  | { type: "chat-deleted"; id: string }
  | { type: "muted"; message: string }
  | {
    type: "stats";
    viewers: number;
    tracks: TrackHint[];
    /** Viewers only: this connection's own queue, backlog and skips. */
    delivery?: DeliveryStats;
  }
  | SlideMessage
  | InkMessage
  | {
    /**
     * Page `slide`'s whole ink in one frame (a late joiner's, or a page shown
     * to this connection for the first time): replaces what it had there.
     */
    type: "ink-replay";
    slide: number;
    ops: InkOp[];
  }
  | {
    /**
     * While the presenter shares a screen (which cannot travel as ink): the
     * latest board snapshot, a JPEG refreshed about every 5 s; null when the
     * share ends.
     */
    type: "screen";
    snapshot: string | null;
  }
  | {
    /**
     * While the camera is live: the latest camera snapshot, a small JPEG
     * refreshed about every 5 s, for viewers that take no camera video; null
     * when the camera stops.
     */
    type: "camera";
    snapshot: string | null;
  };

export type StateMessage = Extract<ServerMessage, { type: "state" }>;

/** Longest text frame a browser may send. */
export const MAX_CLIENT_TEXT = 8 * 1024;
/** Longest text frame the server may send (chat history is the big one). */
export const MAX_SERVER_TEXT = 1024 * 1024;
export const MAX_CHAT_TEXT = 500;
export const MAX_NAME = 40;
/** A lane token: ≥ 96 random bits, base64url (`welcome.lane`, `hello.lane`). */
export const LANE_TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
/** Highest slide index a message may name. */
export const MAX_SLIDE_INDEX = 9999;
/** Longest `pts` string in an ink message from a browser (fits MAX_CLIENT_TEXT). */
export const MAX_INK_POINTS_CHARS = 7 * 1024;

export function encodeClient(message: ClientMessage): string {
  return JSON.stringify(message);
}

export function encodeServer(message: ServerMessage): string {
  return JSON.stringify(message);
}

/** Parses and validates a browser → server text frame. */
export function decodeClient(text: string): ClientMessage {
  const o = parse(text, MAX_CLIENT_TEXT);
  const f = new Fields(o);
  switch (o.type) {
    case "hello": {
      const v = f.int("v", 0, 65535);
      if (v !== PROTOCOL_VERSION) {
        throw new ProtocolError(
          `protocol version ${v} is not supported (this server speaks ${PROTOCOL_VERSION}); reload the page`,
        );
      }
      const role = f.oneOf("role", ["publisher", "viewer"] as const);
      const room = f.str("room", 32, /^[A-Za-z0-9_-]+$/);
      const key = f.optStr("key", 128, /^[A-Za-z0-9_-]+$/);
      const name = f.optStr("name", MAX_NAME);
      // `media: false` is how clients before `tracks` asked for no media: an alias of `tracks: []`.
      const noMedia = o.media !== undefined && f.bool("media") === false;
      const named = f.optTracks("tracks", 16);
      if (noMedia && named !== undefined && named.length > 0) {
        throw new ProtocolError('hello says media: false and names tracks; send only "tracks"');
      }
      const tracks = noMedia ? [] : named;
      const lane = f.optStr("lane", 64, LANE_TOKEN);
      if (role === "publisher" && key === undefined) {
        throw new ProtocolError("a publisher hello needs the room key");
      }
      if (role === "viewer" && key !== undefined) {
        throw new ProtocolError("only publishers send the room key");
      }
      if (role === "publisher" && tracks !== undefined) {
        throw new ProtocolError("only viewers choose tracks");
      }
      if (lane !== undefined && role === "publisher") {
        throw new ProtocolError("only viewers open a lane");
      }
      if (lane !== undefined && noMedia) {
        throw new ProtocolError("a lane carries media: drop media: false");
      }
      return omitUndefined({ type: "hello", v, role, room, key, name, tracks, lane });
    }
    case "track-start":
      return omitUndefined({
        type: "track-start",
        track: f.track("track"),
        mime: f.str("mime", MAX_MIME_BYTES),
        clockMs: f.optNum("clockMs"),
      });
    case "track-stop":
      return { type: "track-stop", track: f.track("track") };
    case "subscribe":
      return { type: "subscribe", tracks: f.nullable("tracks", () => f.trackList("tracks", 16)) };
    case "ping":
    case "pong":
      return omitUndefined({ type: o.type, t: f.optNum("t") });
    case "chat":
      // Checked by the chat (lib/chat/text.ts), which answers with a reason
      // instead of closing: an empty or long message is a person's mistake.
      return { type: "chat", text: f.rawStr("text") };
    case "chat-delete":
      return { type: "chat-delete", id: f.str("id", 64) };
    case "chat-mute":
      return { type: "chat-mute", participant: f.str("participant", 64) };
    case "ink":
      return inkMessage(f, MAX_INK_POINTS_CHARS);
  }
  throw unknownType(o.type);
}

/** Parses and validates a server → browser text frame. */
export function decodeServer(text: string): ServerMessage {
  const o = parse(text, MAX_SERVER_TEXT);
  const f = new Fields(o);
  switch (o.type) {
    case "welcome": {
      const room = new Fields(f.obj("room"), "room.");
      return omitUndefined({
        type: "welcome",
        v: f.int("v", 0, 65535),
        role: f.oneOf("role", ["publisher", "viewer"] as const),
        room: { id: room.str("id", 32), title: room.str("title", 200, undefined, 0) },
        participant: f.str("participant", 64),
        name: f.optStr("name", MAX_NAME),
        lane: f.optStr("lane", 64, LANE_TOKEN),
      });
    }
    case "state":
      return omitUndefined({
        type: "state",
        live: f.bool("live"),
        tracks: f.list("tracks", 64, (t) => ({
          name: t.track("name"),
          mime: t.nullable("mime", () => t.str("mime", MAX_MIME_BYTES)),
          live: t.bool("live"),
        })),
        viewers: f.int("viewers", 0, 1e9),
        liveSince: f.nullable("liveSince", () => f.num("liveSince")),
        title: f.optStr("title", 200),
      });
    case "error":
      return {
        type: "error",
        code: f.str("code", 32, /^[a-z-]+$/),
        message: f.str("message", 1000),
      };
    case "ended":
      return { type: "ended", reason: f.str("reason", 200, undefined, 0) };
    case "ping":
    case "pong":
      return omitUndefined({ type: o.type, t: f.optNum("t") });
    case "chat":
      return { type: "chat", ...chatEntry(f) };
    case "chat-history":
      return { type: "chat-history", messages: f.list("messages", 1000, chatEntry) };
    case "chat-deleted":
      return { type: "chat-deleted", id: f.str("id", 64) };
    case "muted":
      return { type: "muted", message: f.str("message", 1000) };
    case "stats": {
      const d = f.o.delivery === undefined ? undefined : new Fields(f.obj("delivery"), "delivery.");
      return omitUndefined({
        type: "stats",
        viewers: f.int("viewers", 0, 1e9),
        tracks: f.list("tracks", 64, (t) =>
          omitUndefined({
            name: t.track("name"),
            bitrate: t.num("bitrate"),
            keyframeIntervalMs: t.nullable(
              "keyframeIntervalMs",
              () => t.num("keyframeIntervalMs"),
            ),
            keyframeAgeMs: t.optNum("keyframeAgeMs"),
            skipped: t.optInt("skipped"),
            viewers: t.optInt("viewers"),
            clockShiftMs: t.optNum("clockShiftMs"),
            idleMs: t.optInt("idleMs"),
          })),
        delivery: d && {
          queued: d.int("queued", 0, 1e15),
          pendingBytes: d.int("pendingBytes", 0, 1e15),
          skipped: d.int("skipped", 0, 1e15),
          sentBytes: d.int("sentBytes", 0, 1e15),
        },
      });
    }
    case "slide":
      return {
        type: "slide",
        deck: f.nullable("deck", () => f.str("deck", 64, /^[A-Za-z0-9_-]+$/)),
        index: f.int("index", 0, MAX_SLIDE_INDEX),
        count: f.int("count", 0, MAX_SLIDE_INDEX + 1),
        renditions: f.list("renditions", 16, (r) => ({
          w: r.int("w", 1, 16384),
          h: r.int("h", 1, 16384),
          url: r.str("url", 300, /^\/[!-~]*$/),
        })),
      };
    case "ink":
      return inkMessage(f, MAX_SERVER_TEXT);
    case "ink-replay":
      return {
        type: "ink-replay",
        slide: f.int("slide", 0, MAX_SLIDE_INDEX),
        ops: f.list("ops", 1e6, (op) => inkOp(op, MAX_SERVER_TEXT)),
      };
    case "screen":
    case "camera":
      return {
        type: o.type,
        snapshot: f.nullable("snapshot", () => f.str("snapshot", 300, /^\/[!-~]*$/)),
      };
  }
  throw unknownType(o.type);
}

const INK_POINTS = /^[A-Za-z0-9_-]*$/;

/** Reads an ink message (both directions share it); `maxPoints` bounds the points string. */
function inkMessage(f: Fields, maxPoints: number): InkMessage {
  return { type: "ink", slide: f.int("slide", 0, MAX_SLIDE_INDEX), ...inkOp(f, maxPoints) };
}

/** Reads one ink step (the fields of an `ink` message besides `type` and `slide`). */
function inkOp(f: Fields, maxPoints: number): InkOp {
  const op = f.oneOf("op", ["stroke", "more", "undo", "redo", "clear", "reset"] as const);
  const done = f.o.done === undefined ? undefined : f.bool("done");
  switch (op) {
    case "stroke":
      return omitUndefined({
        op,
        tool: f.oneOf("tool", ["pen", "eraser"] as const),
        color: f.str("color", 7, /^#[0-9a-fA-F]{6}$/),
        width: f.numIn("width", 0.5, 256),
        pts: f.str("pts", maxPoints, INK_POINTS, 0),
        done,
      });
    case "more":
      return omitUndefined({ op, pts: f.str("pts", maxPoints, INK_POINTS, 0), done });
    default:
      return { op };
  }
}

function chatEntry(f: Fields): ChatEntry {
  return {
    id: f.str("id", 64),
    from: f.str("from", 64),
    name: f.str("name", MAX_NAME),
    text: f.str("text", MAX_CHAT_TEXT),
    at: f.num("at"),
  };
}

function parse(text: string, max: number): Record<string, unknown> {
  if (typeof text !== "string") {
    throw new ProtocolError("expected a text message", { unsupportedData: true });
  }
  if (text.length > max) {
    throw new ProtocolError(`message too long (${text.length} > ${max} characters)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProtocolError("message is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError("message must be a JSON object");
  }
  const o = value as Record<string, unknown>;
  if (typeof o.type !== "string") throw new ProtocolError('message has no "type"');
  return o;
}

function unknownType(type: unknown): ProtocolError {
  return new ProtocolError(`unknown message type "${String(type).slice(0, 40)}"`);
}

function omitUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

/** Typed field readers that throw ProtocolError naming the field. */
class Fields {
  constructor(readonly o: Record<string, unknown>, private readonly prefix = "") {}

  #fail(field: string, want: string): never {
    throw new ProtocolError(`field "${this.prefix}${field}" must be ${want}`);
  }

  str(field: string, max: number, pattern?: RegExp, min = 1): string {
    const v = this.o[field];
    if (typeof v !== "string" || v.length < min || v.length > max) {
      this.#fail(field, `a string of ${min} to ${max} characters`);
    }
    // deno-lint-ignore no-control-regex
    if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(v)) {
      this.#fail(field, "free of control characters");
    }
    if (pattern && !pattern.test(v)) this.#fail(field, `like ${pattern.source}`);
    return v;
  }

  /** Any string that fits a client frame; the caller validates the content. */
  rawStr(field: string): string {
    const v = this.o[field];
    if (typeof v !== "string") this.#fail(field, "a string");
    return v;
  }

  optStr(field: string, max: number, pattern?: RegExp): string | undefined {
    return this.o[field] === undefined ? undefined : this.str(field, max, pattern);
  }

  track(field: string): string {
    return this.str(field, 32, TRACK_NAME);
  }

  num(field: string): number {
    const v = this.o[field];
    if (typeof v !== "number" || !Number.isFinite(v)) this.#fail(field, "a finite number");
    return v;
  }

  numIn(field: string, min: number, max: number): number {
    const v = this.num(field);
    if (v < min || v > max) this.#fail(field, `a number from ${min} to ${max}`);
    return v;
  }

  optNum(field: string): number | undefined {
    return this.o[field] === undefined ? undefined : this.num(field);
  }

  /** A whole count ≥ 0, or undefined when absent. */
  optInt(field: string): number | undefined {
    return this.o[field] === undefined ? undefined : this.int(field, 0, 1e15);
  }

  int(field: string, min: number, max: number): number {
    const v = this.o[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      this.#fail(field, `a whole number from ${min} to ${max}`);
    }
    return v;
  }

  bool(field: string): boolean {
    const v = this.o[field];
    if (typeof v !== "boolean") this.#fail(field, "true or false");
    return v;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const v = this.o[field];
    if (!values.includes(v as T)) this.#fail(field, `one of ${values.join(", ")}`);
    return v as T;
  }

  nullable<T>(field: string, read: () => T): T | null {
    return this.o[field] === null ? null : read();
  }

  obj(field: string): Record<string, unknown> {
    const v = this.o[field];
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.#fail(field, "an object");
    return v as Record<string, unknown>;
  }

  /** A list of distinct track names, or undefined when absent. */
  optTracks(field: string, max: number): string[] | undefined {
    return this.o[field] === undefined ? undefined : this.trackList(field, max);
  }

  /** A list of distinct track names. */
  trackList(field: string, max: number): string[] {
    const v = this.o[field];
    if (!Array.isArray(v) || v.length > max) this.#fail(field, `a list of at most ${max} names`);
    v.forEach((name, i) => {
      if (typeof name !== "string" || !TRACK_NAME.test(name)) {
        this.#fail(`${field}[${i}]`, `a track name like ${TRACK_NAME.source}`);
      }
    });
    return [...new Set(v as string[])];
  }

  list<T>(field: string, max: number, read: (item: Fields) => T): T[] {
    const v = this.o[field];
    if (!Array.isArray(v) || v.length > max) this.#fail(field, `a list of at most ${max} items`);
    return v.map((item, i) => {
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        this.#fail(`${field}[${i}]`, "an object");
      }
      return read(new Fields(item as Record<string, unknown>, `${this.prefix}${field}[${i}].`));
    });
  }
}

/**
 * The viewer's side of the wire: one reconnecting socket (socket.ts) that
 * says `hello` as a viewer and hands init and media segments per track to the
 * island (which feeds one MsePlayer per track), plus room state and counts.
 * A close with 4404 means the room does not exist, 4000 that it ended: the
 * watcher stops and says so; any other close is retried with backoff, so a presenter's reconnect, a
 * server restart or a network blip heal by themselves.
 */
import { type ClientMessage, CLOSE, type ServerMessage, type StateMessage } from "../protocol.ts";
import { isFatalClose, ProtocolSocket, type SocketOptions, type SocketStatus } from "./socket.ts";

export interface WatcherOptions {
  url: string;
  room: string;
  /** The display name to chat under, read at each (re)connection; none: a guest name. */
  name?: () => string | undefined;
  /** Whether to get media over this socket, read at each hello; false when pulling over HTTP. */
  media?: () => boolean;
  connect?: SocketOptions["connect"];
  now?: () => number;
}

/** Close code of a WebSocket refused because the room does not exist (4000 + HTTP 404). */
export const CLOSE_NOT_FOUND = 4404;

/** Watches one room. Set the callbacks, then `start()`. */
export class Watcher {
  /** `clockMs`: where the stream's media time 0 sits on the presenter's clock, when known. */
  onInit: (track: string, mime: string, bytes: Uint8Array, clockMs?: number) => void = () => {};
  /** `timestampMs`: the segment's media time, for measuring arrival against real time. */
  onMedia: (track: string, bytes: Uint8Array, keyframe: boolean, timestampMs: number) => void =
    () => {};
  onState: (state: StateMessage) => void = () => {};
  onViewers: (count: number) => void = () => {};
  onTitle: (title: string) => void = () => {};
  onEnded: (reason: string) => void = () => {};
  onNotFound: () => void = () => {};
  /** Each status change, with the close that caused it, if any. */
  onStatus: (status: SocketStatus, close?: { code: number; reason: string }) => void = () => {};
  /** Every JSON message the server sends (chat, welcome, errors...), after the callbacks above. */
  onMessage: (message: ServerMessage) => void = () => {};
  readonly #socket: ProtocolSocket;
  /** The tracks asked for with `subscribe()`, said again in every hello; undefined: all. */
  #tracks: string[] | undefined;

  constructor(options: WatcherOptions) {
    this.#socket = new ProtocolSocket({
      url: options.url,
      connect: options.connect,
      now: options.now,
      hello: () => {
        const name = options.name?.() || undefined;
        return {
          type: "hello",
          v: 1,
          role: "viewer",
          room: options.room,
          ...(name ? { name } : {}),
          ...(options.media?.() === false
            ? { tracks: [] }
            : this.#tracks
            ? { tracks: this.#tracks }
            : {}),
        };
      },
      backoff: { maxMs: 3_000 },
      fatal: (code) => isFatalClose(code) || code === CLOSE.roomEnded,
    });
    this.#socket.onStatus = (status, close) => {
      if (status === "closed" && close?.code === CLOSE_NOT_FOUND) this.onNotFound();
      if (status === "closed" && close?.code === CLOSE.roomEnded) {
        this.onEnded(close.reason || "The session has ended.");
      }
      this.onStatus(status, close);
    };
    this.#socket.onMedia = (f) => {
      if (f.kind === "init") this.onInit(f.track, f.mime, f.payload, f.clockMs);
      else if (f.kind === "media") this.onMedia(f.track, f.payload, f.keyframe, f.timestampMs);
    };
    this.#socket.onMessage = (m) => {
      switch (m.type) {
        case "welcome":
          this.onTitle(m.room.title);
          break;
        case "state":
          if (m.title !== undefined) this.onTitle(m.title);
          this.onViewers(m.viewers);
          this.onState(m);
          break;
        case "stats":
          this.onViewers(m.viewers);
          break;
        case "ended":
          this.onEnded(m.reason);
          break;
        case "error":
          if (m.code === "not-found") this.onNotFound();
          break;
      }
      this.onMessage(m);
    };
  }

  /** Round trip to the server in ms, NaN until measured. */
  get rttMs(): number {
    return this.#socket.rttMs;
  }

  start(): void {
    this.#socket.start();
  }

  stop(): void {
    this.#socket.stop();
  }

  /** Sends a control message (chat); false when not connected. */
  send(message: ClientMessage): boolean {
    return this.#socket.send(message);
  }

  /**
   * Receives only these tracks from now on (null: every track), e.g.
   * `["audio"]` for voice alone on a poor link; kept across reconnects.
   */
  subscribe(tracks: string[] | null): void {
    this.#tracks = tracks ?? undefined;
    this.#socket.send({ type: "subscribe", tracks });
  }

  /** Connects again at once, e.g. to say hello under a new name. */
  reconnect(): void {
    this.#socket.stop();
    this.#socket.start();
  }
}

/** ws:// or wss:// URL of an API path on the page's own origin. */
export function socketUrl(location: { protocol: string; host: string }, path: string): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
}

/**
 * The viewer's media lane (docs/protocol.md "Lanes"): a second WebSocket to
 * the same watch URL that says `hello` with the main connection's
 * `welcome.lane` token and carries only the video tracks of the profile.
 * Voice stays on the main socket; the lane can be closed at once, and its
 * backlog with it (a slow link frees up the moment its socket closes). Every
 * change of tracks opens a fresh lane (the server replaces the old one), so
 * a step down never waits for old video to drain.
 */
import { CLOSE, type DeliveryStats } from "../protocol.ts";
import { isFatalClose, ProtocolSocket, type SocketOptions } from "./socket.ts";

export interface LaneOptions {
  url: string;
  room: string;
  connect?: SocketOptions["connect"];
  now?: () => number;
}

export class Lane {
  onInit: (track: string, mime: string, bytes: Uint8Array, clockMs?: number) => void = () => {};
  onMedia: (track: string, bytes: Uint8Array, keyframe: boolean, timestampMs: number) => void =
    () => {};
  /** The lane's own `stats.delivery`. */
  onDelivery: (delivery: DeliveryStats) => void = () => {};
  /** The lane closed for good (unknown token, replaced): wait for a new token. */
  onClosed: (code: number) => void = () => {};
  readonly #o: LaneOptions;
  #socket: ProtocolSocket | null = null;
  #token = "";
  #tracks: readonly string[] = [];

  constructor(options: LaneOptions) {
    this.#o = options;
  }

  /** The tracks the open lane carries ([] when closed). */
  get tracks(): readonly string[] {
    return this.#socket ? this.#tracks : [];
  }

  /** Opens a lane for `tracks` under `token`, replacing any open one; no tracks: closes. */
  open(token: string, tracks: readonly string[]): void {
    this.close();
    if (!token || tracks.length === 0) return;
    this.#token = token;
    this.#tracks = [...tracks];
    const socket = new ProtocolSocket({
      // `?lane`: a full room still upgrades it (a lane is no viewer of its own).
      url: `${this.#o.url}${this.#o.url.includes("?") ? "&" : "?"}lane`,
      connect: this.#o.connect,
      now: this.#o.now,
      hello: () => ({
        type: "hello",
        v: 1,
        role: "viewer",
        room: this.#o.room,
        lane: this.#token,
        tracks: [...this.#tracks],
      }),
      backoff: { maxMs: 3_000 },
      // 1008: the token is unknown (the main socket reconnected); 4009: replaced.
      fatal: (code) =>
        isFatalClose(code) || code === CLOSE.roomEnded || code === CLOSE.laneReplaced,
    });
    socket.onStatus = (status, close) => {
      if (status === "closed" && close && this.#socket === socket) {
        this.#socket = null;
        this.onClosed(close.code);
      }
    };
    socket.onMedia = (f) => {
      if (f.kind === "init") this.onInit(f.track, f.mime, f.payload, f.clockMs);
      else if (f.kind === "media") this.onMedia(f.track, f.payload, f.keyframe, f.timestampMs);
    };
    socket.onMessage = (m) => {
      if (m.type === "stats" && m.delivery) this.onDelivery(m.delivery);
    };
    this.#socket = socket;
    socket.start();
  }

  close(): void {
    const socket = this.#socket;
    this.#socket = null;
    socket?.stop();
  }
}

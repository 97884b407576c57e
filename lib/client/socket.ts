/**
 * One WebSocket that reconnects by itself with backoff (backoff.ts), says
 * `hello` on every connection, answers pings, measures the round trip with its
 * own pings, and drops a silent connection. Decodes frames with
 * lib/protocol.ts: text → ServerMessage, binary → MediaFrame. The publisher
 * and the watcher are thin layers over it. Time and the WebSocket are injected.
 */
import {
  type ClientMessage,
  CLOSE,
  decodeMedia,
  decodeServer,
  encodeClient,
  encodeMedia,
  type MediaFrame,
  type ServerMessage,
} from "../protocol.ts";
import { Backoff, type BackoffOptions } from "./backoff.ts";

/** The part of WebSocket used here. */
export interface SocketLike {
  binaryType: BinaryType;
  readonly bufferedAmount: number;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  send(data: string | ArrayBufferView<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
}

export type SocketStatus = "connecting" | "open" | "reconnecting" | "closed";

export interface SocketOptions {
  url: string;
  /** The hello to send on each connection. */
  hello: () => ClientMessage;
  connect?: (url: string) => SocketLike;
  backoff?: BackoffOptions;
  /** Close codes after which we stop for good (the default: not found, bad key, protocol). */
  fatal?: (code: number) => boolean;
  pingEveryMs?: number;
  /** No frame for this long: the connection is dead. */
  silentAfterMs?: number;
  now?: () => number;
  /** Where a frame that cannot be decoded is reported (default console.warn); never silent. */
  warn?: (message: string) => void;
  /**
   * A connection that failed before it opened: why? The server refuses some
   * WebSockets before the upgrade (no such room, room full, foreign origin),
   * which a browser reports only as 1006. The default asks the endpoint over
   * plain HTTP (see explainRefusal); null means "no refusal", retry.
   */
  explain?: (url: string) => Promise<{ code: number; reason: string } | null>;
  /** Runs `fn` after `ms` and returns a cancel (default setTimeout); tests pass a manual clock. */
  schedule?: (fn: () => void, ms: number) => () => void;
}

/**
 * Asks a WebSocket endpoint over plain HTTP why an upgrade failed: it answers
 * the same 404 (no such room) or 503 (room full) before it would upgrade, as
 * JSON. Mapped like the server's close codes (lib/errors.ts toWsClose): 503 →
 * 1013, other 4xx → 4000 + status; 426 (it would upgrade) or no answer → null.
 */
export async function explainRefusal(
  url: string,
  fetcher: (url: string) => Promise<Response> = (u) => fetch(u),
): Promise<{ code: number; reason: string } | null> {
  let res: Response;
  try {
    res = await fetcher(url.replace(/^ws/, "http"));
  } catch {
    return null; // the network, not a refusal
  }
  const body = await res.json().catch(() => null);
  const reason = typeof body?.error === "string" ? body.error : `HTTP ${res.status}`;
  if (res.status === 503) return { code: CLOSE.tryAgainLater, reason };
  if (res.status >= 400 && res.status < 500 && res.status !== 426) {
    return { code: 4000 + res.status, reason };
  }
  return null;
}

/** Not found (4404), unauthorised (4401), forbidden (4403), unsupported (1003), policy (1008). */
export const isFatalClose = (code: number): boolean =>
  code === 4404 || code === 4401 || code === 4403 || code === CLOSE.unsupportedData ||
  code === CLOSE.policy;

/** What a browser reports for a connection that failed without a close frame. */
const ABNORMAL_CLOSE = 1006;

/** A reconnecting, heartbeating protocol socket. */
export class ProtocolSocket {
  onMessage: (message: ServerMessage) => void = () => {};
  onMedia: (frame: MediaFrame) => void = () => {};
  /** Every status change; `code`/`reason` of the close that caused it, if any. */
  onStatus: (status: SocketStatus, close?: { code: number; reason: string }) => void = () => {};
  /** Latest round trip in ms, NaN until measured. */
  rttMs = NaN;
  readonly #o: Required<Omit<SocketOptions, "backoff">>;
  #cancelRetry: () => void = () => {};
  readonly #backoff: Backoff;
  #ws: SocketLike | null = null;
  #stopped = true;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #lastHeard = 0;

  constructor(options: SocketOptions) {
    this.#o = {
      url: options.url,
      hello: options.hello,
      connect: options.connect ?? ((url) => new WebSocket(url)),
      fatal: options.fatal ?? isFatalClose,
      pingEveryMs: options.pingEveryMs ?? 5_000,
      silentAfterMs: options.silentAfterMs ?? 15_000,
      now: options.now ?? (() => performance.now()),
      warn: options.warn ?? ((message) => console.warn(message)),
      explain: options.explain ?? ((url) => explainRefusal(url)),
      schedule: options.schedule ?? ((fn, ms) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      }),
    };
    this.#backoff = new Backoff({ now: this.#o.now, ...options.backoff });
  }

  get isOpen(): boolean {
    return this.#ws !== null && this.#lastHeard > 0;
  }

  /** Bytes queued in the WebSocket, 0 when closed. */
  get bufferedAmount(): number {
    return this.#ws?.bufferedAmount ?? 0;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#backoff.reset();
    this.#connect("connecting");
  }

  /** Closes for good (code 1000) until `start()` is called again. */
  stop(): void {
    this.#stopped = true;
    this.#cancelRetry();
    this.#drop(CLOSE.normal, "bye");
    this.onStatus("closed");
  }

  /** Sends a control message; false when not connected. */
  send(message: ClientMessage): boolean {
    if (!this.isOpen) return false;
    this.#ws!.send(encodeClient(message));
    return true;
  }

  /** Sends a media frame; false when not connected. */
  sendMedia(frame: MediaFrame): boolean {
    if (!this.isOpen) return false;
    this.#ws!.send(encodeMedia(frame) as Uint8Array<ArrayBuffer>);
    return true;
  }

  #connect(status: SocketStatus): void {
    this.onStatus(status);
    const ws = this.#o.connect(this.#o.url);
    this.#ws = ws;
    this.#lastHeard = 0;
    let opened = false;
    ws.binaryType = "arraybuffer";
    ws.onopen = () => {
      opened = true;
      this.#lastHeard = this.#o.now();
      this.#backoff.connected();
      ws.send(encodeClient(this.#o.hello()));
      this.#heartbeat = setInterval(() => this.#beat(), Math.min(this.#o.pingEveryMs, 1000));
      this.onStatus("open");
    };
    ws.onmessage = (ev) => this.#receive(ev.data);
    ws.onerror = () => {};
    ws.onclose = (ev) => {
      if (this.#ws !== ws) return;
      this.#drop();
      if (opened || ev.code !== ABNORMAL_CLOSE) return this.#closed(ev.code, ev.reason);
      // Failed before it opened: maybe refused before the upgrade; ask why before retrying.
      this.#o.explain(this.#o.url).then((refusal) => {
        if (this.#ws !== null || this.#stopped) return;
        this.#closed(refusal?.code ?? ev.code, refusal?.reason ?? ev.reason);
      });
    };
  }

  #closed(code: number, reason: string): void {
    if (this.#stopped) return;
    if (this.#o.fatal(code)) {
      this.#stopped = true;
      this.onStatus("closed", { code, reason });
      return;
    }
    this.onStatus("reconnecting", { code, reason });
    this.#cancelRetry = this.#o.schedule(() => {
      if (!this.#stopped) this.#connect("reconnecting");
    }, this.#backoff.next());
  }

  #receive(data: unknown): void {
    this.#lastHeard = this.#o.now();
    if (typeof data === "string") {
      let message: ServerMessage;
      try {
        message = decodeServer(data);
      } catch (err) {
        // Dropped (a newer server's message, or a bug), but said out loud: a
        // silently dropped `welcome` or `state` leaves a page that just stops.
        this.#o.warn(
          `chalkcast: ignored a server message that could not be decoded (${
            (err as Error).message
          }): ${data.slice(0, 200)}`,
        );
        return;
      }
      if (message.type === "ping") this.send({ type: "pong", t: message.t });
      else if (message.type === "pong" && message.t !== undefined) {
        this.rttMs = this.#o.now() - message.t;
      }
      this.onMessage(message);
    } else if (data instanceof ArrayBuffer) {
      let frame: MediaFrame;
      try {
        frame = decodeMedia(new Uint8Array(data));
      } catch (err) {
        this.#o.warn(
          `chalkcast: ignored a media frame of ${data.byteLength} bytes that could not be decoded (${
            (err as Error).message
          })`,
        );
        return;
      }
      this.onMedia(frame);
    }
  }

  #lastPing = 0;
  #beat(): void {
    const now = this.#o.now();
    if (now - this.#lastHeard > this.#o.silentAfterMs) {
      const ws = this.#ws;
      this.#drop(CLOSE.timeout, "silent");
      if (ws) this.#closed(CLOSE.timeout, "no answer from the server");
      return;
    }
    if (now - this.#lastPing >= this.#o.pingEveryMs) {
      this.#lastPing = now;
      this.send({ type: "ping", t: now });
    }
  }

  #drop(code?: number, reason?: string): void {
    clearInterval(this.#heartbeat);
    const ws = this.#ws;
    this.#ws = null;
    this.#lastHeard = 0;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }
}

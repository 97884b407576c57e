/**
 * The one world session tests build: a hub, chat, state feeds and a
 * hand-driven ticker on one fake clock, a fake Peer, and helpers that connect
 * viewers and presenters the way the transport does. Imported only by
 * *_test.ts files.
 */
import { Hub, type HubOptions } from "../hub/hub.ts";
import { memoryLogger } from "../log.ts";
import { ChatRooms } from "../chat/registry.ts";
import {
  type ClientMessage,
  decodeServer,
  encodeClient,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "../protocol.ts";
import type { SendBudget } from "../transport/send_budget.ts";
import type { Peer } from "./peer.ts";
import { PublisherSession } from "./publisher_session.ts";
import type { Session } from "./session.ts";
import { StateFeeds } from "./state_feed.ts";
import { Ticker } from "./ticker.ts";
import { ViewerSession } from "./viewer_session.ts";

/**
 * A socket that records what the session sends. Text is decoded as it
 * arrives, which proves every message a session sends is one a client
 * accepts. Set `buffered` to simulate a peer that does not read.
 */
export class FakePeer implements Peer {
  messages: ServerMessage[] = [];
  binaries: Uint8Array[] = [];
  buffered = 0;
  closed: { code: number; reason: string } | null = null;

  get open(): boolean {
    return this.closed === null;
  }

  sendText(text: string): void {
    this.messages.push(decodeServer(text));
  }

  sendBinary(bytes: Uint8Array): void {
    this.binaries.push(bytes);
  }

  close(code: number, reason: string): void {
    this.closed ??= { code, reason };
  }

  /** The close frame, read afresh (an assertion on `closed === null` narrows the field). */
  closeFrame(): { code: number; reason: string } | null {
    return this.closed;
  }

  /** Message types received so far, in order. */
  get types(): string[] {
    return this.messages.map((m) => m.type);
  }

  /** The `error` messages received so far. */
  get errors(): Extract<ServerMessage, { type: "error" }>[] {
    return this.messages.filter((m) => m.type === "error");
  }
}

/** Sends `message` to `session` the way the transport does: as a text frame. */
export function say(session: Session, message: ClientMessage): void {
  session.onText(encodeClient(message));
}

/** A viewer's hello for `roomId`, with the name and tracks given. */
export function viewerHello(
  roomId: string,
  options: { name?: string; tracks?: string[] } = {},
): ClientMessage {
  return {
    type: "hello",
    v: PROTOCOL_VERSION,
    role: "viewer",
    room: roomId,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.tracks === undefined ? {} : { tracks: options.tracks }),
  };
}

export interface ConnectOptions {
  /** Send hello right away (default true). */
  hello?: boolean;
  /** Register with the ticker as the transport does when the socket opens (default false). */
  ticked?: boolean;
}

export interface ViewerOptions extends ConnectOptions {
  name?: string;
  tracks?: string[];
  budget?: SendBudget;
}

export interface PublisherOptions extends ConnectOptions {
  /** Default 1 MiB. */
  maxElementBytes?: number;
}

/**
 * A hub, chat, hand-driven ticker and state feeds sharing one fake clock.
 * `advance()` moves the clock in ticker steps and ticks each; sessions not
 * registered with the ticker (the default) see time only when a test calls
 * `session.heartbeat(world.now())`.
 */
export function sessionWorld(hubOptions: Omit<HubOptions, "now" | "log"> = {}) {
  let t = 0;
  const now = () => t;
  const log = memoryLogger();
  const hub = new Hub({ ...hubOptions, now, log });
  const ticker = new Ticker(50, now);
  const states = new StateFeeds(ticker);
  const chat = new ChatRooms({ wallClock: () => 1_700_000_000_000 });
  const deps = { hub, log, ticker, states, chat, now };
  function open<S extends Session>(session: S, options: ConnectOptions, hello: ClientMessage) {
    if (options.ticked) ticker.add(session);
    if (options.hello ?? true) say(session, hello);
    return session;
  }
  return {
    ...deps,
    /** Advances the clock by `ms` in ticker steps, ticking each. */
    advance(ms: number) {
      const end = t + ms;
      while (t < end) ticker.tickAll(t = Math.min(end, t + ticker.intervalMs));
    },
    /** A viewer connection to `roomId`, greeted unless `hello: false`. */
    viewer(roomId: string, options: ViewerOptions = {}) {
      const peer = new FakePeer();
      const session = open(
        new ViewerSession({ ...deps, peer, roomId, budget: options.budget }),
        options,
        viewerHello(roomId, options),
      );
      return { peer, session };
    },
    /** A presenter connection to `roomId` with `key`, greeted unless `hello: false`. */
    publisher(roomId: string, key: string, options: PublisherOptions = {}) {
      const peer = new FakePeer();
      const maxElementBytes = options.maxElementBytes ?? 1024 * 1024;
      const session = open(
        new PublisherSession({ ...deps, peer, roomId, maxElementBytes }),
        options,
        { type: "hello", v: PROTOCOL_VERSION, role: "publisher", room: roomId, key },
      );
      return { peer, session };
    },
  };
}

export type SessionWorld = ReturnType<typeof sessionWorld>;

/**
 * Test doubles for sessions: a Peer whose buffered bytes tests control, and
 * the services a session needs, all on one fake clock with a hand-driven
 * ticker. Imported only by *_test.ts files.
 */
import { Hub } from "../hub/hub.ts";
import { memoryLogger } from "../log.ts";
import { ChatRooms } from "../chat/registry.ts";
import { decodeServer, type ServerMessage } from "../protocol.ts";
import type { Peer } from "./peer.ts";
import { StateFeeds } from "./state_feed.ts";
import { Ticker } from "./ticker.ts";

/** A socket that records text frames; set `buffered` to simulate a peer that does not read. */
export class FakePeer implements Peer {
  texts: string[] = [];
  binaries: Uint8Array[] = [];
  buffered = 0;
  open = true;
  closed: { code: number; reason: string } | null = null;

  sendText(text: string): void {
    this.texts.push(text);
  }

  sendBinary(bytes: Uint8Array): void {
    this.binaries.push(bytes);
  }

  close(code: number, reason: string): void {
    this.open = false;
    this.closed = { code, reason };
  }

  get messages(): ServerMessage[] {
    return this.texts.map((t) => decodeServer(t));
  }

  /** Message types received, in order. */
  get types(): string[] {
    return this.messages.map((m) => m.type);
  }
}

/** A hub, chat, hand-driven ticker and state feeds sharing one fake clock. */
export function sessionWorld() {
  let t = 0;
  const now = () => t;
  const log = memoryLogger();
  const hub = new Hub({ now, log });
  const ticker = new Ticker(50, now);
  const states = new StateFeeds(ticker);
  const chat = new ChatRooms({ wallClock: () => 1_700_000_000_000 });
  return {
    hub,
    log,
    ticker,
    states,
    chat,
    now,
    /** Advances the clock by `ms` in ticker steps, ticking each. */
    advance(ms: number) {
      const end = t + ms;
      while (t < end) ticker.tickAll(t = Math.min(end, t + ticker.intervalMs));
    },
  };
}

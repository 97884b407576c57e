/**
 * The `state` message of one room, encoded once per room revision and sent
 * to every connection of the room: at once when what it shows changes
 * (liveness, tracks, title), at most once a second when only the viewer
 * count moved. One feed per room is polled by the ticker (an integer compare
 * a tick), instead of every connection building and encoding its own copy.
 */
import { encodeServer } from "../protocol.ts";
import type { Room } from "../hub/room.ts";
import type { Tickable, Ticker } from "./ticker.ts";

/** Room state changes that only move the viewer count go out at most this often. */
export const STATE_INTERVAL_MS = 1000;

/** A connection that receives the room's `state`. */
export interface StateMember {
  /** The encoded `state` message (the same string for every member). */
  sendState(text: string): void;
}

export class StateFeed implements Tickable {
  #members = new Set<StateMember>();
  /** Revision last looked at by pump(). */
  #checked: number;
  #shape: string;
  /** The revision whose state was last broadcast; behind `room.revision` while throttled. */
  #sent: number;
  #sentAt = -Infinity;
  #encoded: { revision: number; text: string } | null = null;

  constructor(readonly room: Room) {
    this.#checked = room.revision;
    this.#sent = room.revision;
    this.#shape = shapeOf(room);
  }

  get members(): number {
    return this.#members.size;
  }

  /** Adds a connection and sends it the current state. */
  join(member: StateMember): void {
    this.#members.add(member);
    member.sendState(this.#text());
  }

  leave(member: StateMember): void {
    this.#members.delete(member);
  }

  /** Broadcasts a changed state when due; true while the room has members. */
  pump(now: number): boolean {
    const revision = this.room.revision;
    if (revision !== this.#checked) {
      this.#checked = revision;
      const shape = shapeOf(this.room);
      if (shape !== this.#shape) {
        this.#shape = shape;
        this.#sentAt = -Infinity; // liveness, tracks or title: send now
      }
    }
    if (this.#sent !== revision && now - this.#sentAt >= STATE_INTERVAL_MS) {
      this.#sent = revision;
      this.#sentAt = now;
      const text = this.#text();
      for (const member of this.#members) member.sendState(text);
    }
    return this.#members.size > 0;
  }

  heartbeat(): void {}

  #text(): string {
    const revision = this.room.revision;
    if (this.#encoded?.revision !== revision) {
      this.#encoded = { revision, text: encodeServer({ type: "state", ...this.room.state() }) };
    }
    return this.#encoded.text;
  }
}

function shapeOf(room: Room): string {
  const state = room.state();
  return JSON.stringify([state.live, state.tracks, state.title]);
}

/** One StateFeed per room, polled by `ticker` while the room has connections. */
export class StateFeeds {
  #feeds = new Map<Room, StateFeed>();

  constructor(readonly ticker: Ticker) {}

  get size(): number {
    return this.#feeds.size;
  }

  join(room: Room, member: StateMember): void {
    let feed = this.#feeds.get(room);
    if (!feed) {
      feed = new StateFeed(room);
      this.#feeds.set(room, feed);
    }
    feed.join(member);
    this.ticker.wake(feed);
  }

  leave(room: Room, member: StateMember): void {
    const feed = this.#feeds.get(room);
    if (!feed) return;
    feed.leave(member);
    if (feed.members > 0) return;
    this.#feeds.delete(room);
    this.ticker.remove(feed);
  }
}

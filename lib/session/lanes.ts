/**
 * Media lanes of one room's viewers (docs/protocol.md "Lanes"). A viewer's
 * main socket carries voice and data; its video travels on a second socket,
 * the lane, which the viewer can drop to free a slow link at once (a
 * throttled link is shared fairly between two sockets, but a step down on
 * one socket still waits for its queued video to drain).
 *
 * Each main connection gets a random token in its `welcome`; a connection
 * whose hello names the token becomes that one's lane. At most one lane per
 * token: a newer one replaces the older (closed 4009). The token lives as
 * long as its main connection, whose close ends the lane too (1000). Pure:
 * the token source is injected; ending a lane is the lane's own `end()`.
 */
import { CLOSE, ProtocolError } from "../errors.ts";

/** What the registry needs of a lane connection. */
export interface LaneEnd {
  end(code: number, reason: string): void;
}

/** A lane that a newer one with the same token replaced. */
export const LANE_REPLACED = { code: CLOSE.laneReplaced, reason: "replaced" } as const;
/** The main connection closed, so its lane goes with it. */
export const LANE_MAIN_CLOSED = { code: CLOSE.normal, reason: "the main connection closed" };
export const UNKNOWN_LANE = "unknown lane; reconnect the main socket";

/** 16 random bytes (128 bits) as base64url: unguessable, and fits `LANE_TOKEN`. */
export function randomLaneToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

export class Lanes {
  /** Token → its lane, or null while the main connection has none. */
  #byToken = new Map<string, LaneEnd | null>();

  constructor(private readonly token: () => string = randomLaneToken) {}

  /** Main connections holding a token. */
  get size(): number {
    return this.#byToken.size;
  }

  /** A new token for a main connection. */
  open(): string {
    let token = this.token();
    while (this.#byToken.has(token)) token = this.token();
    this.#byToken.set(token, null);
    return token;
  }

  /**
   * Makes `lane` the lane of `token`'s main connection, ending the lane it
   * had (4009). ProtocolError (close 1008) for a token no main connection holds.
   */
  attach(token: string, lane: LaneEnd): void {
    if (!this.#byToken.has(token)) throw new ProtocolError(UNKNOWN_LANE);
    const old = this.#byToken.get(token);
    this.#byToken.set(token, lane);
    old?.end(LANE_REPLACED.code, LANE_REPLACED.reason);
  }

  /** `lane` closed: its main connection may open another. */
  detach(token: string, lane: LaneEnd): void {
    if (this.#byToken.get(token) === lane) this.#byToken.set(token, null);
  }

  /** The main connection closed: forget its token and end its lane (1000). */
  close(token: string): void {
    const lane = this.#byToken.get(token);
    this.#byToken.delete(token);
    lane?.end(LANE_MAIN_CLOSED.code, LANE_MAIN_CLOSED.reason);
  }
}

const byRoom = new WeakMap<object, Lanes>();

/** The lanes of `room` (created on first use; they go with the room object). */
export function lanesOf(room: object): Lanes {
  let lanes = byRoom.get(room);
  if (!lanes) byRoom.set(room, lanes = new Lanes());
  return lanes;
}

import type { Config } from "../config.ts";
import { CapacityError, CLOSE, NotFoundError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { MemoryBudget } from "./budget.ts";
import type { RingLimits } from "./ring.ts";
import { cleanTitle, Room, type RoomOptions } from "./room.ts";
import { cryptoRandom, newRoomId, newRoomKey, type RandomSource } from "./secret.ts";
import type { SubscriberLimits } from "./subscriber.ts";

/** Everything the hub lets you inject or limit; every field has a default. */
export interface HubOptions {
  /** Monotonic ms for windows, lag and TTL (default performance.now). */
  now?: () => number;
  /** Unix ms for times clients see (default Date.now). */
  wallClock?: () => number;
  random?: RandomSource;
  log?: Logger;
  /** Most rooms at once (default 100). */
  maxRooms?: number;
  /** Most viewer connections per room (default 2000, as lib/config.ts). */
  maxViewersPerRoom?: number;
  /** Most tracks per room (default 8). */
  maxTracksPerRoom?: number;
  /** A room with no publisher and no viewer for this long is deleted by `sweep()` (default 1 h). */
  roomTtlMs?: number;
  /** A track whose publisher sent nothing for this long may be taken over (default 5 s). */
  takeoverAfterMs?: number;
  /** Per track: window and byte cap (`maxBytes`, default 64 MiB). */
  ring?: Partial<RingLimits>;
  subscriber?: Partial<SubscriberLimits>;
  /** Most media bytes kept in memory, all rooms (default: unbounded); over it new media gets 503. */
  maxMemoryBytes?: number;
  /** Most media bytes kept in memory per room (default: unbounded); its oldest media goes first. */
  maxRoomBytes?: number;
  /**
   * Called once for each room the hub removes (deleted, expired, shutdown),
   * after its connections were closed: e.g. to fold its counters into totals.
   */
  onRoomEnded?: (room: Room) => void;
  /**
   * Called once for each room created, with its key (e.g. for the recorder,
   * which keeps only a hash of it to authorise later changes to recordings).
   */
  onRoomCreated?: (room: Room, key: string) => void;
}

/**
 * Maps the server's Config onto hub options. Memory: `--max-memory-mb` in
 * all, a quarter of it per room (so one room, which anyone may create, never
 * takes the server's), half a room's (at most 64 MiB) per track.
 */
export function hubOptionsFromConfig(config: Config): HubOptions {
  const total = config.maxMemoryMb * 1024 * 1024;
  const room = Math.floor(total / 4);
  return {
    maxRooms: config.maxRooms,
    maxViewersPerRoom: config.maxViewers,
    roomTtlMs: config.roomTtlSeconds * 1000,
    ring: {
      windowMs: config.windowSeconds * 1000,
      maxBytes: Math.min(64 * 1024 * 1024, Math.floor(room / 2)),
    },
    subscriber: { maxLagMs: config.maxLagMs },
    maxMemoryBytes: total,
    maxRoomBytes: room,
  };
}

/**
 * All rooms of the server. Pure: no timers and no I/O. The server calls
 * `sweep()` on a timer to expire idle rooms and `close()` on shutdown.
 */
export class Hub {
  #rooms = new Map<string, Room>();
  #now: () => number;
  #random: RandomSource;
  #log: Logger;
  #maxRooms: number;
  #roomTtlMs: number;
  #roomOptions: RoomOptions;
  #onRoomEnded: (room: Room) => void;
  /** Media the hub keeps in memory, all rooms; `--max-memory-mb`. */
  readonly memory: MemoryBudget;
  #onRoomCreated: (room: Room, key: string) => void;

  constructor(options: HubOptions = {}) {
    this.memory = new MemoryBudget(options.maxMemoryBytes ?? Infinity);
    this.#now = options.now ?? (() => performance.now());
    this.#random = options.random ?? cryptoRandom;
    this.#log = options.log ?? { info() {}, warn() {}, error() {} };
    this.#maxRooms = options.maxRooms ?? 100;
    this.#roomTtlMs = options.roomTtlMs ?? 3_600_000;
    this.#onRoomEnded = options.onRoomEnded ?? (() => {});
    this.#onRoomCreated = options.onRoomCreated ?? (() => {});
    this.#roomOptions = {
      now: this.#now,
      wallClock: options.wallClock ?? (() => Date.now()),
      log: this.#log,
      maxViewers: options.maxViewersPerRoom ?? 2000,
      maxTracks: options.maxTracksPerRoom ?? 8,
      takeoverAfterMs: options.takeoverAfterMs ?? 5000,
      ring: options.ring ?? {},
      subscriber: options.subscriber ?? {},
      maxRoomBytes: options.maxRoomBytes,
      memory: this.memory,
    };
  }

  get size(): number {
    return this.#rooms.size;
  }

  rooms(): Room[] {
    return [...this.#rooms.values()];
  }

  /**
   * Creates a room. The key is returned here and only here: show it to the
   * presenter once; afterwards only `room.checkKey()` can test it.
   * Throws CapacityError when the server already has `maxRooms` rooms.
   */
  create(options: { title?: string } = {}): { room: Room; key: string } {
    const title = cleanTitle(options.title);
    if (this.#rooms.size >= this.#maxRooms) {
      throw new CapacityError(
        `the server already has ${this.#maxRooms} rooms; end a room you no longer need or raise --max-rooms`,
      );
    }
    let id = newRoomId(this.#random);
    while (this.#rooms.has(id)) id = newRoomId(this.#random);
    const key = newRoomKey(this.#random);
    const room = new Room(id, key, title, this.#roomOptions);
    this.#rooms.set(id, room);
    this.#log.info(`room ${id} created`);
    this.#onRoomCreated(room, key);
    return { room, key };
  }

  find(id: string): Room | undefined {
    return this.#rooms.get(id);
  }

  /** The room with this id; NotFoundError when there is none. */
  get(id: string): Room {
    const room = this.#rooms.get(id);
    if (!room) throw new NotFoundError("no such room; it may have ended. Check the link");
    return room;
  }

  /** Ends and removes a room; every sink is closed with "room ended". False when unknown. */
  delete(id: string, reason = "room ended", code: number = CLOSE.roomEnded): boolean {
    const room = this.#rooms.get(id);
    if (!room) return false;
    this.#rooms.delete(id);
    room.end(reason, code);
    this.#log.info(`room ${id} ended: ${reason}`);
    this.#onRoomEnded(room);
    return true;
  }

  /** Deletes rooms idle (no publisher, no viewer) for at least the TTL; returns their ids. */
  sweep(now: number = this.#now()): string[] {
    const expired: string[] = [];
    for (const room of this.#rooms.values()) {
      const idleSince = room.idleSince;
      if (idleSince !== null && now - idleSince >= this.#roomTtlMs) expired.push(room.id);
    }
    for (const id of expired) this.delete(id, "room expired");
    return expired;
  }

  /** Ends every room (server shutting down). */
  close(reason = "server shutting down"): void {
    for (const id of [...this.#rooms.keys()]) this.delete(id, reason, CLOSE.goingAway);
  }
}

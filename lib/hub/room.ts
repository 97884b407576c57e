import { AuthError, CapacityError, CLOSE, NotFoundError, UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type StateMessage, TRACK_NAME } from "../protocol.ts";
import { MemoryBudget } from "./budget.ts";
import { RoomEvents } from "./events.ts";
import { Publisher } from "./publisher.ts";
import type { RingLimits } from "./ring.ts";
import { constantTimeEqual } from "./secret.ts";
import type { TrackStats } from "./stats.ts";
import { SkipLog } from "./skip_log.ts";
import { Subscriber, type SubscriberLimits } from "./subscriber.ts";
import type { Sink } from "./sink.ts";
import { Track } from "./track.ts";

/** Limits and services a room gets from the hub. */
export interface RoomOptions {
  /** Monotonic ms: windows, lag, idle time. */
  now: () => number;
  /** Unix ms: createdAt and liveSince, which clients see. */
  wallClock: () => number;
  log: Logger;
  maxViewers: number;
  maxTracks: number;
  takeoverAfterMs: number;
  ring: Partial<RingLimits>;
  subscriber: Partial<SubscriberLimits>;
  /** Most media bytes the room keeps in memory, all tracks (default: unbounded). */
  maxRoomBytes?: number;
  /** The server's media budget (`--max-memory-mb`) the room's counts against. */
  memory?: MemoryBudget;
}

/** Longest room title. */
export const TITLE_MAX = 200;

// deno-lint-ignore no-control-regex
const TITLE_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * A title as the room keeps it: trimmed, "Untitled room" when blank.
 * UserError when longer than TITLE_MAX, or when it holds a control
 * character (a tab, a newline, a bidi override): refused rather than
 * silently changed, because the presenter typed it and should see why
 * (clients reject such characters in every message, so it must never
 * reach `welcome` or `state`).
 */
export function cleanTitle(title: string | undefined): string {
  const bad = (title ?? "").match(TITLE_CONTROL);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw new UserError(
      `a title cannot contain control characters (found U+${code}); use plain text on one line`,
    );
  }
  const clean = (title ?? "").trim() || "Untitled room";
  if (clean.length > TITLE_MAX) {
    throw new UserError(`a title has at most ${TITLE_MAX} characters`);
  }
  return clean;
}

/** A room's figures for the API. */
export interface RoomStats {
  id: string;
  viewers: number;
  liveSince: number | null;
  tracks: TrackStats[];
}

/**
 * One lecture: a title, a secret key, named tracks, their publisher and the
 * viewers. A viewer is one connection (one Subscriber) watching any of the
 * room's tracks. `revision` goes up whenever what the `state` message shows
 * changes, so transports can poll it on their pump timer and send `state` at
 * most once a tick instead of once per join.
 */
export class Room {
  readonly id: string;
  /**
   * What happens in the room besides media: `title`, `live`, `track-start`,
   * `track-stop`, `track-init` from the room, `chat`/`chat-deleted` from its
   * chat, and whatever later features emit (see lib/hub/events.ts).
   */
  readonly events: RoomEvents;
  /** Unix ms. */
  readonly createdAt: number;
  #key: string;
  #title: string;
  #options: RoomOptions;
  #tracks = new Map<string, Track>();
  /** Each viewer with the track names it wants, or null for all. */
  #viewers = new Map<Subscriber, Set<string> | null>();
  #publishers = new Set<Publisher>();
  #liveSince: number | null = null;
  #idleSince: number | null;
  #revision = 0;
  #state: { revision: number; value: Omit<StateMessage, "type"> } | null = null;
  #viewerSeq = 0;
  #ended = false;
  /** One skip line a second for all of this room's slow viewers. */
  #skips: SkipLog;
  /** Media this room keeps in memory; its parent is the server's budget. */
  readonly memory: MemoryBudget;
  /** Tracks live at the last change, with their MIME: `track-start`/`track-stop` are diffs of it. */
  #liveTracks = new Map<string, string | null>();
  /** Viewers that are services (the recorder): not counted, not limited by maxViewers. */
  #hidden = new Set<Subscriber>();
  /** Viewers' media lanes: their main connections are the counted viewers. */
  #lanes = new Set<Subscriber>();

  constructor(id: string, key: string, title: string, options: RoomOptions) {
    this.id = id;
    this.memory = new MemoryBudget(options.maxRoomBytes ?? Infinity, options.memory ?? null);
    this.#title = title;
    this.#key = key;
    this.#options = options;
    this.#skips = new SkipLog(`room ${id}`, options.log);
    this.createdAt = options.wallClock();
    this.#idleSince = options.now();
    this.events = new RoomEvents({
      onError: (err) => options.log.warn(`room ${id}: an event listener failed: ${err}`),
    });
  }

  get title(): string {
    return this.#title;
  }

  /**
   * Renames the room (cleaned like a new room's title; UserError when too
   * long). Connections see the new title in their next `state`.
   */
  rename(title: string): void {
    this.#assertOpen();
    const clean = cleanTitle(title);
    if (clean === this.#title) return;
    this.#title = clean;
    this.#changed();
    this.events.emit({ type: "title", at: this.#options.wallClock(), title: clean });
  }

  /** Unix ms when a track last went live with none live before; null while none is live. */
  get liveSince(): number | null {
    return this.#liveSince;
  }

  get viewers(): number {
    return this.#viewers.size - this.#hidden.size - this.#lanes.size;
  }

  get publishers(): number {
    return this.#publishers.size;
  }

  get revision(): number {
    return this.#revision;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Monotonic ms since when the room has had no publisher and no viewer, or null. */
  get idleSince(): number | null {
    return this.#idleSince;
  }

  tracks(): Track[] {
    return [...this.#tracks.values()];
  }

  track(name: string): Track | undefined {
    return this.#tracks.get(name);
  }

  /** True when `candidate` is this room's key; constant time in the key's length. */
  checkKey(candidate: string): boolean {
    return constantTimeEqual(candidate, this.#key);
  }

  /**
   * Adds a viewer connection watching `tracks` (default: every track), both
   * those that exist now and those a publisher starts later, so a viewer that
   * arrives before the presenter is fed when the stream begins. Viewers never
   * create tracks. Throws CapacityError when the room is full.
   */
  join(sink: Sink, options: JoinOptions = {}): Subscriber {
    this.#assertOpen();
    const { maxViewers } = this.#options;
    if (!options.service && !options.lane && this.viewers >= maxViewers) {
      throw new CapacityError(
        `this room is full (${maxViewers} viewers); try again later or ask the presenter to raise --max-viewers`,
      );
    }
    for (const name of options.tracks ?? []) {
      if (!TRACK_NAME.test(name)) throw badTrackName(name);
    }
    const subscriber = new Subscriber(sink, {
      ...this.#options.subscriber,
      ...options.limits,
      now: this.#options.now,
      log: this.#options.log,
      label: `${options.label ?? `viewer ${++this.#viewerSeq}`} in room ${this.id}`,
      skips: this.#skips,
      lookup: (name) => {
        const track = this.#tracks.get(name);
        if (!track) throw new NotFoundError(`this room has no track "${name.slice(0, 40)}" yet`);
        return track;
      },
      onClose: (sub) => {
        this.#viewers.delete(sub);
        this.#hidden.delete(sub);
        this.#lanes.delete(sub);
        this.#changed();
      },
    });
    this.#viewers.set(subscriber, options.tracks ? new Set(options.tracks) : null);
    if (options.service) this.#hidden.add(subscriber);
    else if (options.lane) this.#lanes.add(subscriber);
    for (const name of this.#tracks.keys()) {
      if (options.tracks?.includes(name) ?? true) subscriber.watch(name);
    }
    this.#changed();
    return subscriber;
  }

  /**
   * Changes which tracks a viewer gets: `tracks`, or every track for null,
   * now and for tracks that start later. A track it stops watching leaves its
   * queue at once; one it starts watching begins with init + newest keyframe.
   */
  choose(subscriber: Subscriber, tracks: readonly string[] | null): void {
    if (!this.#viewers.has(subscriber)) return;
    for (const name of tracks ?? []) {
      if (!TRACK_NAME.test(name)) throw badTrackName(name);
    }
    const wants = tracks ? new Set(tracks) : null;
    this.#viewers.set(subscriber, wants);
    for (const name of subscriber.tracks) if (wants && !wants.has(name)) subscriber.unwatch(name);
    for (const name of this.#tracks.keys()) if (wants?.has(name) ?? true) subscriber.watch(name);
  }

  /**
   * Adds a publisher connection after checking the room key (AuthError).
   * `onClose` is how the hub ends it (room ended, taken over).
   */
  publish(key: string, onClose: (code: number, reason: string) => void): Publisher {
    this.#assertOpen();
    if (!this.checkKey(key)) throw new AuthError("wrong room key; open the presenter link again");
    const publisher = new Publisher({
      track: (name) => this.#trackFor(name),
      now: this.#options.now,
      initialized: (track) =>
        this.events.emit({
          type: "track-init",
          at: this.#options.wallClock(),
          track: track.name,
          mime: track.mime,
        }),
      released: (p) => {
        this.#publishers.delete(p);
        this.#changed();
      },
    }, onClose);
    this.#publishers.add(publisher);
    this.#changed();
    return publisher;
  }

  /** The body of the `state` message. */
  state(): Omit<StateMessage, "type"> {
    // Every session asks after each change: build it once per revision, not once per viewer.
    if (this.#state?.revision === this.#revision) return this.#state.value;
    const tracks = this.tracks().map((t) => ({ name: t.name, mime: t.mime, live: t.live }));
    const value = {
      live: tracks.some((t) => t.live),
      tracks,
      viewers: this.viewers,
      liveSince: this.#liveSince,
      title: this.#title,
    };
    this.#state = { revision: this.#revision, value };
    return value;
  }

  stats(now: number = this.#options.now()): RoomStats {
    return {
      id: this.id,
      viewers: this.viewers,
      liveSince: this.#liveSince,
      tracks: this.tracks().map((t) => {
        const stats = t.stats(now);
        // A service (the recorder) watches the track but is nobody's viewer.
        for (const service of this.#hidden) if (service.tracks.includes(t.name)) stats.viewers--;
        return stats;
      }),
    };
  }

  /** Ends the room: every viewer and publisher is closed with `reason`. Idempotent. */
  end(reason = "room ended", code: number = CLOSE.roomEnded): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const viewer of [...this.#viewers.keys()]) viewer.close(code, reason);
    for (const publisher of [...this.#publishers]) publisher.close(code, reason);
    for (const track of this.#tracks.values()) track.dispose();
  }

  /** Frees room for `bytes` more within the room's budget: oldest media of the biggest tracks first. */
  #reclaim(bytes: number): void {
    while (!this.memory.fitsHere(bytes)) {
      let biggest: Track | null = null;
      for (const t of this.#tracks.values()) {
        if (t.ring.bytes > (biggest?.ring.bytes ?? 0)) biggest = t;
      }
      if (!biggest || biggest.ring.dropOldest() === 0) return;
    }
  }

  #trackFor(name: string): Track {
    let track = this.#tracks.get(name);
    if (track) return track;
    if (!TRACK_NAME.test(name)) throw badTrackName(name);
    if (this.#tracks.size >= this.#options.maxTracks) {
      throw new UserError(`a room holds at most ${this.#options.maxTracks} tracks`);
    }
    track = new Track(name, {
      ...this.#options.ring,
      budget: this.memory,
      reclaim: (bytes) => this.#reclaim(bytes),
      takeoverAfterMs: this.#options.takeoverAfterMs,
      onChange: () => this.#changed(),
      firstGeneration: Math.max(1, this.#options.wallClock()),
    });
    this.#tracks.set(name, track);
    for (const [viewer, wants] of this.#viewers) if (wants?.has(name) ?? true) viewer.watch(name);
    this.#changed();
    return track;
  }

  #assertOpen(): void {
    if (this.#ended) {
      throw new NotFoundError("this room has ended; ask the presenter for a new link");
    }
  }

  #changed(): void {
    this.#revision++;
    const live = this.tracks().some((t) => t.live);
    const wasLive = this.#liveSince !== null;
    if (!live) this.#liveSince = null;
    else this.#liveSince ??= this.#options.wallClock();
    const idle = this.#viewers.size === this.#hidden.size + this.#lanes.size &&
      this.#publishers.size === 0;
    if (!idle) this.#idleSince = null;
    else this.#idleSince ??= this.#options.now();
    this.#emitTrackChanges(live !== wasLive);
  }

  /** Emits `track-start`/`track-stop` for tracks whose liveness changed, then `live` if the room's did. */
  #emitTrackChanges(liveChanged: boolean): void {
    const at = this.#options.wallClock();
    const starts: Track[] = [];
    for (const track of this.#tracks.values()) {
      if (track.live && !this.#liveTracks.has(track.name)) starts.push(track);
    }
    const stops = [...this.#liveTracks].filter(([name]) => !this.#tracks.get(name)?.live);
    if (starts.length === 0 && stops.length === 0 && !liveChanged) return;
    for (const [name] of stops) this.#liveTracks.delete(name);
    for (const t of starts) this.#liveTracks.set(t.name, t.mime);
    // Emitting last: a listener may read the room, which must already be consistent.
    if (liveChanged && this.#liveSince !== null) this.events.emit({ type: "live", at, live: true });
    for (const [track, mime] of stops) this.events.emit({ type: "track-stop", at, track, mime });
    for (const t of starts) {
      this.events.emit({ type: "track-start", at, track: t.name, mime: t.mime });
    }
    if (liveChanged && this.#liveSince === null) {
      this.events.emit({ type: "live", at, live: false });
    }
  }
}

/** How a connection joins a room (see Room.join). */
export interface JoinOptions {
  /** Names the connection in log lines. */
  label?: string;
  /** Track names to watch; default every track, now and later. */
  tracks?: readonly string[];
  /** Overrides the hub's subscriber limits (a recorder never skips: lag and queue unbounded). */
  limits?: Partial<SubscriberLimits>;
  /** A server-side service (the recorder): not counted as a viewer nor limited by maxViewers. */
  service?: boolean;
  /**
   * A viewer's media lane (lib/session/lanes.ts): its main connection is the
   * counted viewer, so the lane is not counted in `viewers` nor limited by
   * maxViewers; it does count among the viewers of the tracks it watches.
   */
  lane?: boolean;
}

function badTrackName(name: string): UserError {
  return new UserError(`bad track name "${name.slice(0, 40)}": use 1-32 of a-z, 0-9 and -`);
}

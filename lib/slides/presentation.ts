/**
 * What a room presents besides media: the slide deck shown (if any), which
 * page, and the ink drawn on each page. Every change goes to every member
 * connection at once (one encoded text frame shared by all) and into the
 * room's event stream (`deck`, `slide`, `ink` events, so recordings keep
 * them); a member that joins gets the current slide and its ink first, and
 * a page's ink history the first time that page is shown to it (then live
 * ink keeps it current), so nobody downloads a page's ink twice.
 *
 * Ink is kept per page (an InkLog each, so going back shows what was drawn
 * there); without a deck the plain whiteboard is page 0. Bounded: each page's
 * log by `maxSlideInkChars`, all pages together by `maxInkChars` (the pages
 * shown longest ago are forgotten first, never the current one). Pure: the
 * clock and the event sink are injected; called from the connection handlers
 * and HTTP routes, never concurrently.
 */
import type { RoomEvent } from "../hub/events.ts";
import { InkLog } from "../ink/ink_log.ts";
import { UserError } from "../errors.ts";
import {
  encodeServer,
  type InkMessage,
  type InkOp,
  type ServerMessage,
  type SlideMessage,
} from "../protocol.ts";
import type { Deck } from "./deck_store.ts";

/** A connection that follows the presentation (a viewer, the studio). */
export interface PresentationMember {
  /** Takes one encoded server message; must not throw or block. */
  sendPresentation(text: string): void;
}

export type SlideAction = "next" | "previous" | "goto";

/**
 * The pictures a room shows as periodic JPEGs (docs/protocol.md): `screen`,
 * the board during a screen share (which cannot travel as ink), and
 * `camera`, the camera for viewers that take no camera video.
 */
export type SnapshotKind = "screen" | "camera";
/** In the order a joining member gets them (after its slide and ink). */
const SNAPSHOT_KINDS: readonly SnapshotKind[] = ["screen", "camera"];

export interface PresentationOptions {
  /** Unix ms for events. */
  wallClock?: () => number;
  /** Where events go (the room's event stream). */
  emit?: (event: RoomEvent) => void;
  maxSlideInkChars?: number;
  maxInkChars?: number;
}

/** The slide state the HTTP API shows. */
export interface SlideState {
  deck: string | null;
  index: number;
  count: number;
}

export class Presentation {
  #deck: Deck | null = null;
  #index = 0;
  /** Ink per page; Map order is least recently shown first. */
  #ink = new Map<number, InkLog>();
  /** Each member with the pages whose ink history it has. */
  #members = new Map<PresentationMember, Set<number>>();
  #o: Required<PresentationOptions>;
  /** The latest snapshot URL of each kind while it is on (a screen share, a live camera). */
  #snapshots = new Map<SnapshotKind, string>();

  constructor(options: PresentationOptions = {}) {
    this.#o = {
      wallClock: Date.now,
      emit: () => {},
      maxSlideInkChars: 256 * 1024,
      maxInkChars: 2 * 1024 * 1024,
      ...options,
    };
  }

  get state(): SlideState {
    return { deck: this.#deck?.id ?? null, index: this.#index, count: this.count };
  }

  get count(): number {
    return this.#deck?.pages.length ?? 0;
  }

  get members(): number {
    return this.#members.size;
  }

  /** The `slide` message for the current page. */
  slideMessage(): SlideMessage {
    return {
      type: "slide",
      ...this.state,
      renditions: this.#deck?.pages[this.#index] ?? [],
    };
  }

  /** Adds a member and sends it the current slide and that slide's ink. */
  join(member: PresentationMember): void {
    this.#members.set(member, new Set([this.#index]));
    member.sendPresentation(encodeServer(this.slideMessage()));
    for (const text of this.#history(this.#index, false)) member.sendPresentation(text);
    for (const type of SNAPSHOT_KINDS) {
      const snapshot = this.#snapshots.get(type);
      if (snapshot) member.sendPresentation(encodeServer({ type, snapshot }));
    }
  }

  /**
   * A new snapshot of `type` (its URL), or null when it ended (the share,
   * the camera): every member hears it as a `type` message at once, a
   * joining member at join; the event stream gets a `type` event.
   */
  snapshot(type: SnapshotKind, url: string | null): void {
    if (url === (this.#snapshots.get(type) ?? null)) return;
    if (url === null) this.#snapshots.delete(type);
    else this.#snapshots.set(type, url);
    this.#o.emit({ type, at: this.#o.wallClock(), snapshot: url });
    this.#broadcast({ type, snapshot: url });
  }

  /**
   * Emits the whole state as events: `deck`, `slide`, and every page's ink
   * as `ink` events. Called when the room goes live, so a recording that
   * starts then knows what was already on show.
   */
  announce(): void {
    const at = this.#o.wallClock();
    if (this.#deck) {
      this.#o.emit({ type: "deck", at, deck: this.#deck.id, pages: this.#deck.pages });
    }
    const { type: _, ...fields } = this.slideMessage();
    this.#o.emit({ type: "slide", at, ...fields });
    for (const [slide, log] of this.#ink) {
      for (const op of log.replay()) this.#o.emit({ type: "ink", at, slide, ...op });
    }
  }

  leave(member: PresentationMember): void {
    this.#members.delete(member);
  }

  /** Shows a complete deck from its first page; the previous deck's ink is dropped. */
  show(deck: Deck): SlideState {
    if (!deck.complete) throw new UserError("upload every page of the deck before showing it");
    this.#deck = deck;
    this.#index = 0;
    this.#ink.clear();
    for (const pages of this.#members.values()) pages.clear();
    this.#o.emit({ type: "deck", at: this.#o.wallClock(), deck: deck.id, pages: deck.pages });
    this.#slideChanged();
    return this.state;
  }

  /**
   * Moves to the next, previous or given page (0-based `index` for goto).
   * Next on the last page and previous on the first stay put. UserError
   * without a deck or for an index outside it.
   */
  control(action: SlideAction, index?: number): SlideState {
    const count = this.count;
    if (count === 0) {
      throw new UserError("this room shows no slides; upload a deck in the studio first");
    }
    let next = this.#index;
    if (action === "next") next = Math.min(count - 1, next + 1);
    else if (action === "previous") next = Math.max(0, next - 1);
    else {
      if (index === undefined || !Number.isInteger(index) || index < 0 || index >= count) {
        throw new UserError(`goto needs an "index" from 0 to ${count - 1}`);
      }
      next = index;
    }
    if (next !== this.#index) {
      this.#index = next;
      this.#slideChanged();
    }
    return this.state;
  }

  /**
   * Ink from the presenter for page `slide`. UserError for a page outside
   * the deck (a stroke on a page being replaced is just late: dropped).
   */
  ink(message: InkMessage): void {
    const limit = Math.max(1, this.count);
    if (message.slide >= limit) {
      throw new UserError(`ink for slide ${message.slide}, but there are ${limit}`);
    }
    const log = this.#logFor(message.slide);
    const { type: _, slide: __, ...op } = message;
    if (!log.apply(op as InkOp)) return;
    this.#o.emit({ ...message, at: this.#o.wallClock() });
    this.#broadcast(message);
    this.#bound();
  }

  #logFor(slide: number): InkLog {
    let log = this.#ink.get(slide);
    if (!log) this.#ink.set(slide, log = new InkLog(this.#o.maxSlideInkChars));
    return log;
  }

  #slideChanged(): void {
    const message = this.slideMessage();
    const { type: _, ...fields } = message;
    this.#o.emit({ type: "slide", at: this.#o.wallClock(), ...fields });
    this.#broadcast(message);
    const log = this.#ink.get(this.#index);
    if (log) {
      this.#ink.delete(this.#index);
      this.#ink.set(this.#index, log);
    }
    // Members that joined after this page's ink was drawn get it now, once.
    let history: string[] | null = null;
    for (const [member, pages] of this.#members) {
      if (pages.has(this.#index)) continue;
      pages.add(this.#index);
      history ??= this.#history(this.#index, true);
      for (const text of history) member.sendPresentation(text);
    }
  }

  /**
   * The one encoded frame (`ink-replay`) that brings a member's copy of page
   * `slide` to the server's, or none when nothing is there to bring over
   * (`always`: also for an empty page, whose copy may hold stale ink).
   */
  #history(slide: number, always: boolean): string[] {
    const log = this.#ink.get(slide);
    // No log: nothing was ever drawn there (or it was forgotten), nothing to bring over.
    if (!log) return [];
    const ops = log.replay();
    if (ops.length === 0 && !always) return [];
    // One frame, however many steps: a viewer's text queue is bounded in frames.
    return [encodeServer({ type: "ink-replay", slide, ops })];
  }

  #broadcast(message: ServerMessage): void {
    if (this.#members.size === 0) return;
    const text = encodeServer(message);
    for (const member of this.#members.keys()) member.sendPresentation(text);
  }

  #bound(): void {
    let total = 0;
    for (const log of this.#ink.values()) total += log.chars;
    for (const [slide, log] of this.#ink) {
      if (total <= this.#o.maxInkChars) break;
      if (slide === this.#index) continue;
      total -= log.chars;
      this.#ink.delete(slide);
      for (const pages of this.#members.values()) pages.delete(slide);
    }
  }
}

/** The part of a room's event stream (lib/hub/events.ts) a presentation uses. */
export interface RoomEventStream {
  emit(event: RoomEvent): void;
  subscribe?(listener: (event: RoomEvent) => void): () => void;
}

/**
 * One Presentation per hub Room, created on first use and keyed by the Room
 * object (a WeakMap, like the chat), emitting into that room's events.
 */
export class Presentations {
  #rooms = new WeakMap<object, Presentation>();

  constructor(
    private readonly options: Omit<PresentationOptions, "emit"> & {
      /** The room's event stream: the presentation emits into it and announces itself on `live`. */
      eventsOf?: (room: object) => RoomEventStream | undefined;
    } = {},
  ) {}

  for(room: object): Presentation {
    let p = this.#rooms.get(room);
    if (!p) {
      const { eventsOf, ...options } = this.options;
      const events = eventsOf?.(room);
      const presentation = new Presentation(
        events ? { ...options, emit: (e) => events.emit(e) } : options,
      );
      events?.subscribe?.((e) => e.type === "live" && e.live === true && presentation.announce());
      p = presentation;
      this.#rooms.set(room, p);
    }
    return p;
  }

  find(room: object): Presentation | undefined {
    return this.#rooms.get(room);
  }

  drop(room: object): void {
    this.#rooms.delete(room);
  }
}

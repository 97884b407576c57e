import type { Segment } from "../media/segment.ts";
import { ProtocolError } from "../errors.ts";
import { announcedMime } from "../media/mime.ts";
import type { Owner, Track } from "./track.ts";
import type { MemoryLease } from "./budget.ts";

/** What a room lends its publishers (see Room.publish). */
export interface PublisherLink {
  /** The room's track by name, created on first use; throws UserError for a bad name. */
  track(name: string): Track;
  now(): number;
  /** A new init segment reached `track` from this publisher (the room emits `track-init`). */
  initialized?(track: Track): void;
  /** The publisher is gone; the room forgets it. */
  released(publisher: Publisher): void;
}

/**
 * One publisher connection, which may hold the slots of several tracks
 * (camera, whiteboard). The transport calls `start()` on `track-start`,
 * `push()` with each segment its parser emits, `stop()` on `track-stop` and
 * `release()` in `finally`. The hub calls `close()` to end it (room ended,
 * taken over by a newer connection), which reaches the transport through
 * the `onClose` callback given to `Room.publish()`.
 */
export class Publisher implements Owner {
  #link: PublisherLink;
  #onClose: (code: number, reason: string) => void;
  #tracks = new Map<string, Track>();
  /** Per track, the memory its current stream's parser holds (see Track.parserMemory). */
  #parsers = new Map<string, MemoryLease>();
  #closed = false;

  constructor(link: PublisherLink, onClose: (code: number, reason: string) => void) {
    this.#link = link;
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Names of the tracks this connection holds. */
  get tracks(): string[] {
    return [...this.#tracks.keys()];
  }

  /**
   * Takes (or re-takes) a track's slot; the next segment should be an init.
   * A new stream gets new parser memory (the previous one's is given back).
   * Throws ConflictError when another live publisher holds it, and
   * UnsupportedMediaError for an announced `mime` that is not a clean media type.
   */
  start(name: string, mime?: string): void {
    if (this.#closed) throw new ProtocolError("this publisher connection has ended");
    // Cleaned at the edge: it goes into `state` and the live GET's Content-Type.
    const clean = mime === undefined ? undefined : announcedMime(mime);
    const track = this.#link.track(name);
    track.claim(this, this.#link.now(), clean);
    this.#tracks.set(name, track);
    this.#parsers.get(name)?.release();
    this.#parsers.set(name, track.parserMemory());
  }

  /**
   * The memory the parser of `name`'s current stream reports its buffer to
   * (DemuxerOptions.memory): counted with the room's media, given back at
   * the next `start()`, at `stop()` and at `release()`.
   */
  parserMemory(name: string): MemoryLease {
    const memory = this.#parsers.get(name);
    if (!memory) throw new ProtocolError(`send track-start for "${name}" before its media`);
    return memory;
  }

  /** Hands one parsed segment to the track. Throws ProtocolError before `start()`. */
  push(name: string, segment: Segment): void {
    const track = this.#tracks.get(name);
    if (!track) throw new ProtocolError(`send track-start for "${name}" before its media`);
    track.push(this, segment, this.#link.now());
    if (segment.type === "init" && track.owner === this) this.#link.initialized?.(track);
  }

  /** The track's sound ran `ms` slow against its clock (see Track.clockShiftMs). */
  shiftClock(name: string, ms: number): void {
    this.#tracks.get(name)?.shiftClock(this, ms);
  }

  /** The presenter stopped this track: free the slot and forget its media. */
  stop(name: string): void {
    const track = this.#tracks.get(name);
    if (!track) return;
    this.#tracks.delete(name);
    this.#parsers.get(name)?.release();
    this.#parsers.delete(name);
    if (track.owner === this) track.reset();
    track.release(this);
  }

  /** The connection is gone: free every slot, keeping media for joiners until a new init. */
  release(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const track of this.#tracks.values()) track.release(this);
    this.#tracks.clear();
    for (const memory of this.#parsers.values()) memory.release();
    this.#parsers.clear();
    this.#link.released(this);
  }

  /** The hub ends this publisher; `onClose` tells the transport. */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.release();
    this.#onClose(code, reason);
  }
}

import type { Segment } from "../media/segment.ts";
import { CapacityError, CLOSE, ConflictError } from "../errors.ts";
import { MemoryBudget, MemoryLease } from "./budget.ts";
import { Packet } from "./packet.ts";
import { Ring, type RingLimits } from "./ring.ts";
import { KeyframeMeter, RateMeter, type TrackStats } from "./stats.ts";
import type { Feed, Subscriber } from "./subscriber.ts";

/** A sound-only track's joiner gets this much media time before the newest, ms (about). */
export const SOUND_JOIN_BACK_MS = 2000;

/** Whoever holds a track's publisher slot (a Publisher); closed when taken over. */
export interface Owner {
  close(code: number, reason: string): void;
}

export interface TrackOptions extends Partial<RingLimits> {
  /** A slot whose owner sent nothing for this long may be taken over (default 5 s). */
  takeoverAfterMs?: number;
  /** Called when what `state` shows changes: live, MIME. */
  onChange?: () => void;
  /**
   * The budget this track's media counts against (its room's, whose parent
   * is the server's); default: unbounded. The ring's `maxBytes` is the
   * track's own cap.
   */
  budget?: MemoryBudget;
  /**
   * Called when `bytes` more would overflow the room's budget: the room
   * frees what it can (oldest media of its biggest tracks).
   */
  reclaim?: (bytes: number) => void;
  /**
   * Number of the track's first init (default 1); each later init counts up.
   * The room seeds it with the wall clock so numbers never repeat across
   * server restarts: pull-mode URLs that carry them are cached as immutable.
   */
  firstGeneration?: number;
}

/**
 * One named track of a room: its publisher slot, current init segment, ring
 * of recent media and the subscribers watching it. Media flows
 * `push()` → ring → every subscriber's `offer()`; nothing here waits.
 *
 * Invariant: the ring only ever holds media of the current init segment; a
 * new init clears it before any subscriber sees the init.
 */
export class Track implements Feed {
  readonly name: string;
  readonly takeoverAfterMs: number;
  #ring: Ring;
  #init: Packet | null = null;
  #mime: string | null = null;
  #owner: Owner | null = null;
  #lastPushAt = 0;
  #subscribers = new Set<Subscriber>();
  #onChange: () => void;
  #bytesIn = 0;
  #bytesOut = 0;
  #segmentsIn = 0;
  #skipped = 0;
  #rate = new RateMeter();
  #keyframes = new KeyframeMeter();
  #budget: MemoryBudget;
  #reclaim: (bytes: number) => void;
  #generation: number;
  #nextSeq = 0;
  #arrival: PromiseWithResolvers<void> | null = null;

  constructor(name: string, options: TrackOptions = {}) {
    const {
      takeoverAfterMs = 5000,
      onChange = () => {},
      budget = new MemoryBudget(Infinity),
      reclaim = () => {},
      firstGeneration = 1,
      ...limits
    } = options;
    this.#generation = firstGeneration - 1;
    this.name = name;
    this.takeoverAfterMs = takeoverAfterMs;
    this.#budget = budget;
    this.#reclaim = reclaim;
    this.#ring = new Ring(limits, budget);
    this.#onChange = onChange;
  }

  /** Media bytes this track holds in memory: its init segment and its ring. */
  get bytes(): number {
    return (this.#init?.size ?? 0) + this.#ring.bytes;
  }

  /** A publisher holds the slot and the stream has begun (an init segment arrived). */
  get live(): boolean {
    return this.#owner !== null && this.#init !== null;
  }

  get owner(): Owner | null {
    return this.#owner;
  }

  /** MIME of the current init segment, or what `track-start` announced before it. */
  get mime(): string | null {
    return this.#mime;
  }

  get ring(): Ring {
    return this.#ring;
  }

  /** `seq` the next media packet of the current generation gets. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** The current init segment, or null before one (and after `reset()`). */
  get init(): Packet | null {
    return this.#init;
  }

  /**
   * Resolves at the next change of the track's media (a packet, a new init, a
   * reset). One promise shared by every waiter, so pull-mode long-polls cost
   * no per-request work on the push path.
   */
  changed(): Promise<void> {
    return (this.#arrival ??= Promise.withResolvers<void>()).promise;
  }

  #notify(): void {
    const arrival = this.#arrival;
    this.#arrival = null;
    arrival?.resolve();
  }

  get viewers(): number {
    return this.#subscribers.size;
  }

  /**
   * Takes the publisher slot. A different owner that has been silent for
   * `takeoverAfterMs` (a dropped connection not yet noticed) is closed and
   * replaced; otherwise a second publisher gets ConflictError.
   */
  claim(owner: Owner, now: number, mime?: string): void {
    const current = this.#owner;
    if (current && current !== owner) {
      if (now - this.#lastPushAt < this.takeoverAfterMs) {
        throw new ConflictError(
          `track "${this.name}" already has a publisher; stop the other tab or device, or retry in a few seconds`,
        );
      }
      this.#owner = null;
      current.close(CLOSE.replaced, "replaced by a newer publisher connection");
    }
    this.#owner = owner;
    this.#lastPushAt = now;
    if (mime !== undefined) this.#mime = mime;
    this.#onChange();
  }

  /** Frees the slot if `owner` holds it; the media stays for joiners until a new init. */
  release(owner: Owner): void {
    if (this.#owner !== owner) return;
    this.#owner = null;
    this.#onChange();
  }

  /**
   * Ms to add to the current stream's `clockMs` (its sound ran slow; the
   * publisher's session measures it). 0 again with every new init.
   */
  clockShiftMs = 0;

  /** Sets `clockShiftMs` if `owner` holds the slot. */
  shiftClock(owner: Owner, ms: number): void {
    if (this.#owner === owner && this.#init !== null) this.clockShiftMs = ms;
  }

  /** The stream ended on purpose (`track-stop`): forget its init and media. */
  reset(): void {
    this.clockShiftMs = 0;
    this.#setInit(null);
    this.#ring.clear();
    this.#keyframes.reset();
    this.#onChange();
    this.#notify();
  }

  /** Takes one parsed segment from the slot's owner and fans it out. Media before any init is dropped. */
  push(owner: Owner, segment: Segment, now: number): void {
    if (this.#owner !== owner) return;
    this.#lastPushAt = now;
    this.#bytesIn += segment.bytes.byteLength;
    this.#segmentsIn++;
    this.#rate.record(segment.bytes.byteLength, now);
    const packet = new Packet(this.name, segment, now);
    if (segment.type === "init") {
      const changed = this.#init === null || this.#mime !== segment.mime;
      this.clockShiftMs = 0;
      this.#ring.clear();
      this.#keyframes.reset();
      this.#setInit(null);
      this.#makeRoom(packet.size);
      this.#setInit(packet);
      this.#mime = segment.mime;
      packet.generation = ++this.#generation;
      this.#nextSeq = 0;
      if (changed) this.#onChange();
    } else {
      if (this.#init === null) return;
      this.#ring.prune(now);
      this.#makeRoom(packet.size);
      if (segment.keyframe) this.#keyframes.record(segment.timestampMs);
      else this.#keyframes.seen(segment.timestampMs);
      packet.generation = this.#generation;
      packet.seq = this.#nextSeq++;
      this.#ring.push(packet, now);
    }
    for (const sub of this.#subscribers) sub.offer(this, packet);
    this.#notify();
  }

  /**
   * Memory for the parser of a stream into this track: counted in the room's
   * and server's budgets like its media, made room for the same way (older
   * media goes first) and refused with the same CapacityError. The publisher
   * releases it when the stream ends.
   */
  parserMemory(): MemoryLease {
    return new MemoryLease(this.#budget, (bytes) => this.#makeRoom(bytes));
  }

  /** Forgets all media (the room ended), returning its bytes to the budgets. */
  dispose(): void {
    this.#ring.clear();
    this.#setInit(null);
  }

  #setInit(packet: Packet | null): void {
    this.#budget.add((packet?.size ?? 0) - (this.#init?.size ?? 0));
    this.#init = packet;
  }

  /**
   * Frees memory for `bytes` more: the room first reclaims from its biggest
   * tracks; if the server's budget is still short, this track gives up its
   * own oldest media (a live stream keeps going on less buffer). When even
   * that is not enough the media is refused with CapacityError: the server
   * is at --max-memory-mb.
   */
  #makeRoom(bytes: number): void {
    if (this.#budget.fits(bytes)) return;
    this.#reclaim(bytes);
    while (!this.#budget.fits(bytes) && this.#ring.dropOldest() > 0) { /* keep dropping */ }
    const full = this.#budget.overflowed(bytes);
    if (!full) return;
    this.#budget.reject();
    const mb = Math.round(full.limit / 1048576);
    throw new CapacityError(
      full.parent === null
        ? `the server's memory for media is full (${mb} MB); try again later, or raise --max-memory-mb`
        : `this room's memory for media is full (${mb} MB); send a lower bitrate or fewer tracks`,
    );
  }

  attach(sub: Subscriber): Packet[] {
    this.#subscribers.add(sub);
    if (this.#init === null) return [];
    // Sound begins a little back: a voice that joins (or switches encode) with a buffer in hand
    // need not build one by playing slow, which on a slow link is all it could do.
    const sound = this.#mime?.startsWith("audio/") ?? false;
    const media = sound
      ? this.#ring.fromKeyframeBack(SOUND_JOIN_BACK_MS)
      : this.#ring.fromNewestKeyframe();
    return [this.#init, ...media];
  }

  detach(sub: Subscriber): void {
    this.#subscribers.delete(sub);
  }

  countOut(bytes: number): void {
    this.#bytesOut += bytes;
  }

  countSkipped(count: number): void {
    this.#skipped += count;
  }

  stats(now: number): TrackStats {
    this.#ring.prune(now);
    return {
      name: this.name,
      mime: this.#mime,
      live: this.live,
      viewers: this.#subscribers.size,
      bytesIn: this.#bytesIn,
      bytesOut: this.#bytesOut,
      segmentsIn: this.#segmentsIn,
      skipped: this.#skipped,
      bitrate: this.#rate.bitsPerSecond(now),
      bufferedSeconds: this.#ring.spanMs / 1000,
      keyframeIntervalMs: this.#keyframes.intervalMs,
      keyframeAgeMs: this.#keyframes.ageMs,
      clockShiftMs: this.clockShiftMs,
      idleMs: Math.max(0, now - this.#lastPushAt),
    };
  }
}

import type { Segment } from "../media/segment.ts";
import { CLOSE, ConflictError } from "../errors.ts";
import { Packet } from "./packet.ts";
import { Ring, type RingLimits } from "./ring.ts";
import { KeyframeMeter, RateMeter, type TrackStats } from "./stats.ts";
import type { Feed, Subscriber } from "./subscriber.ts";

/** Whoever holds a track's publisher slot (a Publisher); closed when taken over. */
export interface Owner {
  close(code: number, reason: string): void;
}

export interface TrackOptions extends Partial<RingLimits> {
  /** A slot whose owner sent nothing for this long may be taken over (default 5 s). */
  takeoverAfterMs?: number;
  /** Called when what `state` shows changes: live, MIME. */
  onChange?: () => void;
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

  constructor(name: string, options: TrackOptions = {}) {
    const { takeoverAfterMs = 5000, onChange = () => {}, ...limits } = options;
    this.name = name;
    this.takeoverAfterMs = takeoverAfterMs;
    this.#ring = new Ring(limits);
    this.#onChange = onChange;
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

  /** The stream ended on purpose (`track-stop`): forget its init and media. */
  reset(): void {
    this.#init = null;
    this.#ring.clear();
    this.#keyframes.reset();
    this.#onChange();
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
      this.#ring.clear();
      this.#keyframes.reset();
      this.#init = packet;
      this.#mime = segment.mime;
      if (changed) this.#onChange();
    } else {
      if (this.#init === null) return;
      if (segment.keyframe) this.#keyframes.record(segment.timestampMs);
      else this.#keyframes.seen(segment.timestampMs);
      this.#ring.push(packet, now);
    }
    for (const sub of this.#subscribers) sub.offer(this, packet);
  }

  attach(sub: Subscriber): Packet[] {
    this.#subscribers.add(sub);
    if (this.#init === null) return [];
    return [this.#init, ...this.#ring.fromNewestKeyframe()];
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
    };
  }
}

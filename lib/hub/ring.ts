import type { MemoryBudget } from "./budget.ts";
import type { Packet } from "./packet.ts";

/** How much media one track keeps for late joiners. */
export interface RingLimits {
  /** Keep media that arrived within this many ms of the newest (default 30 s). */
  windowMs: number;
  /** Keep at most this many payload bytes (default 64 MiB). */
  maxBytes: number;
}

export const DEFAULT_RING_LIMITS: RingLimits = {
  windowMs: 30_000,
  maxBytes: 64 * 1024 * 1024,
};

/**
 * The recent media segments of one track since its current init segment,
 * oldest first, bounded by arrival time and by bytes.
 *
 * Invariant: the newest keyframe packet and everything after it stay in the
 * ring however old they are, so a viewer can always join at init + newest
 * keyframe onward. The one exception bounds memory: when the run from the
 * newest keyframe alone exceeds `maxBytes` (a publisher that stopped sending
 * keyframes), the oldest packets go anyway and joiners wait for the next
 * keyframe.
 */
export class Ring {
  readonly limits: RingLimits;
  #items: Packet[] = [];
  #bytes = 0;
  /** Index of the newest keyframe packet in #items, or -1. */
  #keyIndex = -1;
  /** Where every change of `bytes` is reported (the track's, room's and server's budgets). */
  #budget: MemoryBudget | null;

  constructor(limits: Partial<RingLimits> = {}, budget: MemoryBudget | null = null) {
    this.limits = { ...DEFAULT_RING_LIMITS, ...limits };
    this.#budget = budget;
  }

  get length(): number {
    return this.#items.length;
  }

  /** Payload bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Arrival time between the oldest and newest packet, ms. */
  get spanMs(): number {
    const n = this.#items.length;
    return n < 2 ? 0 : this.#items[n - 1].arrivedAt - this.#items[0].arrivedAt;
  }

  get newestKeyframe(): Packet | null {
    return this.#keyIndex < 0 ? null : this.#items[this.#keyIndex];
  }

  /** Appends a media packet, then drops the oldest ones over the limits at `now`. */
  push(packet: Packet, now: number): void {
    this.#items.push(packet);
    this.#bytes += packet.size;
    this.#budget?.add(packet.size);
    if (packet.keyframe) this.#keyIndex = this.#items.length - 1;
    this.prune(now);
  }

  /** Drops packets older than the window or over the byte cap, keeping the join point. */
  prune(now: number): void {
    const items = this.#items;
    const { windowMs, maxBytes } = this.limits;
    const keep = this.#keyIndex < 0 ? items.length : this.#keyIndex;
    let n = 0;
    let bytes = this.#bytes;
    while (
      n < items.length &&
      (bytes > maxBytes || (n < keep && now - items[n].arrivedAt > windowMs))
    ) {
      bytes -= items[n].size;
      n++;
    }
    if (n === 0) return;
    items.splice(0, n);
    this.#budget?.add(bytes - this.#bytes);
    this.#bytes = bytes;
    this.#keyIndex = this.#keyIndex >= n ? this.#keyIndex - n : -1;
  }

  /**
   * Drops the oldest packet whatever the window says (memory is short);
   * returns its size, 0 when empty. May give up the join point.
   */
  dropOldest(): number {
    const first = this.#items.shift();
    if (!first) return 0;
    this.#bytes -= first.size;
    this.#budget?.add(-first.size);
    if (this.#keyIndex >= 0) this.#keyIndex--;
    return first.size;
  }

  /** The packets a joining viewer needs after the init segment: newest keyframe onward. */
  fromNewestKeyframe(): Packet[] {
    return this.#keyIndex < 0 ? [] : this.#items.slice(this.#keyIndex);
  }

  /**
   * Like `fromNewestKeyframe()`, but from the newest keyframe at least
   * `backMs` of media time before the newest packet (or the oldest keyframe
   * held, when none is that old): a joiner starts with that much buffered.
   */
  fromKeyframeBack(backMs: number): Packet[] {
    if (this.#keyIndex < 0) return [];
    const items = this.#items;
    const newest = (items.at(-1)!.segment as { timestampMs: number }).timestampMs;
    let from = this.#keyIndex;
    for (let i = this.#keyIndex; i >= 0; i--) {
      const p = items[i];
      if (!p.keyframe) continue;
      from = i;
      if (newest - (p.segment as { timestampMs: number }).timestampMs >= backMs) break;
    }
    return items.slice(from);
  }

  /** The packet at `index` (0 = oldest), or undefined; no copy, for lookups by position. */
  at(index: number): Packet | undefined {
    return this.#items[index];
  }

  /** All packets, oldest first (a copy). */
  toArray(): Packet[] {
    return this.#items.slice();
  }

  /** Forgets everything: called when a new init segment starts a new stream. */
  clear(): void {
    this.#budget?.add(-this.#bytes);
    this.#items = [];
    this.#bytes = 0;
    this.#keyIndex = -1;
  }
}

import { CLOSE } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Packet } from "./packet.ts";
import type { Sink } from "./sink.ts";

/** How patient the hub is with one viewer. */
export interface SubscriberLimits {
  /** Hand the sink a packet only while its pending bytes are below this (default 64 KiB). */
  lowWatermark: number;
  /** A queue head older than this skips to the newest keyframe (default 2 s). */
  maxLagMs: number;
  /** Most packets queued; more forces a skip (default 512). */
  maxQueue: number;
  /** A sink that cannot take data for this long is closed (default 30 s). */
  stallMs: number;
}

export const DEFAULT_SUBSCRIBER_LIMITS: SubscriberLimits = {
  lowWatermark: 64 * 1024,
  maxLagMs: 2000,
  maxQueue: 512,
  stallMs: 30_000,
};

/** What a subscriber needs from a track it watches (implemented by Track). */
export interface Feed {
  readonly name: string;
  /** Adds the subscriber and returns what it gets first: init + newest keyframe onward, or []. */
  attach(sub: Subscriber): Packet[];
  detach(sub: Subscriber): void;
  countOut(bytes: number): void;
  countSkipped(count: number): void;
}

export interface SubscriberOptions extends Partial<SubscriberLimits> {
  /** Finds the room's track by name for `watch()`; throws for a bad name. */
  lookup: (track: string) => Feed;
  /** Called once when the subscriber closes or unsubscribes; the room forgets it. */
  onClose?: (sub: Subscriber) => void;
  now?: () => number;
  log?: Pick<Logger, "warn">;
  /** Names this viewer in log lines (never a secret). */
  label?: string;
}

/** "init": nothing to send until an init segment; "keyframe": drop media until a keyframe. */
type Phase = "init" | "keyframe" | "live";
interface Watch {
  feed: Feed;
  phase: Phase;
}
interface Entry {
  packet: Packet;
  watch: Watch;
  queuedAt: number;
}

/**
 * One viewer connection: a bounded queue of references to shared packets for
 * the tracks it watches, drained into one Sink as fast as the sink's pending
 * bytes allow. A viewer whose queue head is more than `maxLagMs` old skips
 * ahead: per track it keeps only the newest queued keyframe onward (or waits
 * for the next keyframe), counts what it dropped and logs at most once a
 * second. A sink that stays full for `stallMs` is closed. None of this ever
 * waits, so one slow viewer never delays the publisher or other viewers.
 *
 * Transport adapters call `pump()` on a timer (e.g. every 100 ms) and after
 * each flush, and `unsubscribe()` in `finally` when the peer goes.
 */
export class Subscriber {
  readonly limits: SubscriberLimits;
  readonly label: string;
  #sink: Sink;
  #lookup: (track: string) => Feed;
  #onClose?: (sub: Subscriber) => void;
  #now: () => number;
  #log: Pick<Logger, "warn">;
  #watches = new Map<string, Watch>();
  #queue: Entry[] = [];
  #blockedSince: number | null = null;
  #closed = false;
  #sentBytes = 0;
  #sentSegments = 0;
  #skipped = 0;
  #unlogged = 0;
  #lastLog = -Infinity;

  constructor(sink: Sink, options: SubscriberOptions) {
    const { lookup, onClose, now, log, label, ...limits } = options;
    this.limits = { ...DEFAULT_SUBSCRIBER_LIMITS, ...limits };
    this.label = label ?? "viewer";
    this.#sink = sink;
    this.#lookup = lookup;
    this.#onClose = onClose;
    this.#now = now ?? (() => performance.now());
    this.#log = log ?? { warn: () => {} };
  }

  get closed(): boolean {
    return this.#closed;
  }

  get tracks(): string[] {
    return [...this.#watches.keys()];
  }

  get stats(): { queued: number; sentBytes: number; sentSegments: number; skipped: number } {
    return {
      queued: this.#queue.length,
      sentBytes: this.#sentBytes,
      sentSegments: this.#sentSegments,
      skipped: this.#skipped,
    };
  }

  /** Starts receiving a track: its init, media from its newest keyframe, then live media. */
  watch(track: string): void {
    if (this.#closed || this.#watches.has(track)) return;
    const feed = this.#lookup(track);
    const watch: Watch = { feed, phase: "init" };
    this.#watches.set(track, watch);
    const now = this.#now();
    for (const packet of feed.attach(this)) this.#accept(watch, packet, now);
    this.pump(now);
  }

  unwatch(track: string): void {
    const watch = this.#watches.get(track);
    if (!watch) return;
    this.#queue = this.#queue.filter((e) => e.watch !== watch);
    this.#watches.delete(track);
    watch.feed.detach(this);
  }

  /** Called by the track for every new packet, init or media. Never blocks. */
  offer(feed: Feed, packet: Packet): void {
    const watch = this.#watches.get(feed.name);
    if (this.#closed || watch?.feed !== feed) return;
    const now = this.#now();
    this.#accept(watch, packet, now);
    if (this.#queue.length > this.limits.maxQueue) this.#skip(now);
    if (this.#queue.length > this.limits.maxQueue) this.#drop(now, (e) => !e.packet.isInit);
    this.pump(now);
  }

  /**
   * Hands queued packets to the sink while its pending bytes are under the
   * low watermark; skips ahead when too far behind; closes a stalled sink.
   */
  pump(now: number = this.#now()): void {
    if (this.#closed) return;
    const head = this.#queue[0];
    if (head && now - head.queuedAt > this.limits.maxLagMs) this.#skip(now);
    let refused = false;
    while (this.#queue.length > 0 && !this.#closed) {
      if (this.#sink.pending >= this.limits.lowWatermark) break;
      const entry = this.#queue[0];
      if (!this.#write(entry.packet)) {
        refused = true;
        break;
      }
      this.#queue.shift();
      this.#sentBytes += entry.packet.size;
      this.#sentSegments++;
      entry.watch.feed.countOut(entry.packet.size);
    }
    if (this.#closed) return;
    if (refused || this.#sink.pending >= this.limits.lowWatermark) {
      this.#blockedSince ??= now;
      if (now - this.#blockedSince >= this.limits.stallMs) {
        const seconds = Math.round(this.limits.stallMs / 1000);
        this.close(CLOSE.tooSlow, `viewer stalled: nothing could be sent for ${seconds} s`);
        return;
      }
    } else {
      this.#blockedSince = null;
    }
    this.#flushLog(now);
  }

  /** The hub ends this viewer: the sink is closed with `code` and `reason`. */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.unsubscribe();
    this.#sink.close(code, reason);
  }

  /** The peer went away: forget it without closing the sink. Idempotent. */
  unsubscribe(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    for (const watch of this.#watches.values()) watch.feed.detach(this);
    this.#watches.clear();
    this.#onClose?.(this);
  }

  #write(packet: Packet): boolean {
    try {
      return this.#sink.write(packet);
    } catch (err) {
      // Sinks must not throw; if one does, end only this viewer.
      this.#log.warn(`${this.label}: sink failed, closing: ${(err as Error)?.message ?? err}`);
      this.close(CLOSE.internal, "internal error");
      return false;
    }
  }

  #accept(watch: Watch, packet: Packet, now: number): void {
    if (packet.isInit) {
      // Segments of the old stream must never follow the new init.
      this.#queue = this.#queue.filter((e) => e.watch !== watch);
      watch.phase = "keyframe";
    } else if (watch.phase === "init") {
      return;
    } else if (watch.phase === "keyframe") {
      if (!packet.keyframe) {
        watch.feed.countSkipped(1);
        this.#noteSkipped(1);
        return;
      }
      watch.phase = "live";
    }
    this.#queue.push({ packet, watch, queuedAt: now });
  }

  /**
   * Per track, keeps a queued init (it must reach the player) and the newest
   * queued keyframe onward if it is within `maxLagMs`; drops the rest. A track
   * left without a keyframe waits for the next one.
   */
  #skip(now: number): void {
    const marks = new Map<Watch, { init: number; key: number }>();
    this.#queue.forEach((e, i) => {
      let m = marks.get(e.watch);
      if (!m) marks.set(e.watch, m = { init: -1, key: -1 });
      if (e.packet.isInit) m.init = i;
      else if (e.packet.keyframe && now - e.queuedAt <= this.limits.maxLagMs) m.key = i;
    });
    this.#drop(now, (e, i) => {
      const m = marks.get(e.watch)!;
      return i !== m.init && (m.key < 0 || i < m.key);
    });
  }

  #drop(now: number, shouldDrop: (e: Entry, i: number) => boolean): void {
    const kept: Entry[] = [];
    const hit = new Set<Watch>();
    const keptKey = new Set<Watch>();
    let dropped = 0;
    this.#queue.forEach((e, i) => {
      if (shouldDrop(e, i)) {
        hit.add(e.watch);
        e.watch.feed.countSkipped(1);
        dropped++;
        return;
      }
      if (e.packet.isInit) e.queuedAt = now; // kept on purpose; it is not lag
      if (e.packet.keyframe) keptKey.add(e.watch);
      kept.push(e);
    });
    this.#queue = kept;
    for (const watch of hit) if (!keptKey.has(watch)) watch.phase = "keyframe";
    this.#noteSkipped(dropped);
    this.#flushLog(now);
  }

  #noteSkipped(count: number): void {
    this.#skipped += count;
    this.#unlogged += count;
  }

  #flushLog(now: number): void {
    if (this.#unlogged === 0 || now - this.#lastLog < 1000) return;
    this.#log.warn(`viewer too slow, skipped ${this.#unlogged} segments (${this.label})`);
    this.#unlogged = 0;
    this.#lastLog = now;
  }
}

import { CLOSE } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Packet } from "./packet.ts";
import type { Sink } from "./sink.ts";
import { SkipLog } from "./skip_log.ts";

/** How patient the hub is with one viewer. */
export interface SubscriberLimits {
  /**
   * Most bytes in flight in the sink (its `pending`): a packet is handed over
   * only if it fits under this, or if nothing is pending (so a packet larger
   * than the limit still goes, alone). Default 64 KiB.
   */
  lowWatermark: number;
  /** A queue head older than this skips to the newest keyframe (default 2 s). */
  maxLagMs: number;
  /** Most packets queued; more forces a skip (default 512). */
  maxQueue: number;
  /** A sink that cannot take data for this long is closed (default 30 s). */
  stallMs: number;
  /** Most text frames queued; more drops the oldest droppable one (default 64). */
  maxText: number;
}

export const DEFAULT_SUBSCRIBER_LIMITS: SubscriberLimits = {
  // What a viewer may have in flight in the transport (WebSocket.bufferedAmount):
  // the server's memory bound per viewer on a congested uplink. Less made
  // viewers behind a busy machine hit the lag skip more often, and a skip
  // freezes a track with sparse keyframes (the whiteboard) until its next one.
  lowWatermark: 64 * 1024,
  maxLagMs: 2000,
  maxQueue: 512,
  stallMs: 30_000,
  maxText: 64,
};

/**
 * A text message (chat, state, errors) queued in order with a viewer's media,
 * so that a viewer that does not read holds a bounded queue of text too.
 */
export interface TextFrame {
  readonly text: string;
  /** A newer frame with the same key replaces a queued one: only the newest `state` matters. */
  readonly key?: string;
  /** May be dropped when more than `maxText` frames are queued (chat lines, not errors). */
  readonly droppable?: boolean;
}

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
  /** Where skips are counted and logged; the room shares one among its viewers. */
  skips?: SkipLog;
}

/** "init": nothing to send until an init segment; "keyframe": drop media until a keyframe. */
type Phase = "init" | "keyframe" | "live";
interface Watch {
  feed: Feed;
  phase: Phase;
}
/** A queued media packet (with its watch) or text frame (watch null). */
interface Entry {
  packet: Packet | null;
  text: TextFrame | null;
  watch: Watch | null;
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
 * Text frames (`send()`) share the queue, so they keep their order with the
 * media; `maxText` bounds them (droppable ones go first, a keyed one replaces
 * its queued predecessor).
 *
 * Nothing here runs on a timer: `offer()` and `send()` pump at once. When
 * data is left queued (the sink is full), the sink's `backlogged()` is called
 * and the transport pumps again later (after a drain, or on its next tick)
 * until `pump()` returns false. `unsubscribe()` in `finally` when the peer goes.
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
  #texts = 0;
  #blockedSince: number | null = null;
  #closed = false;
  #sentBytes = 0;
  #sentSegments = 0;
  #skipped = 0;
  #skips: SkipLog;

  constructor(sink: Sink, options: SubscriberOptions) {
    const { lookup, onClose, now, log, label, skips, ...limits } = options;
    this.limits = { ...DEFAULT_SUBSCRIBER_LIMITS, ...limits };
    this.label = label ?? "viewer";
    this.#sink = sink;
    this.#lookup = lookup;
    this.#onClose = onClose;
    this.#now = now ?? (() => performance.now());
    this.#log = log ?? { warn: () => {} };
    this.#skips = skips ?? new SkipLog(this.label, this.#log);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get tracks(): string[] {
    return [...this.#watches.keys()];
  }

  /** True while data is queued that the sink has not taken yet. */
  get backlogged(): boolean {
    return !this.#closed && this.#queue.length > 0;
  }

  get stats(): {
    queued: number;
    queuedText: number;
    sentBytes: number;
    sentSegments: number;
    skipped: number;
  } {
    return {
      queued: this.#queue.length,
      queuedText: this.#texts,
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
    this.#pumpOrWake(now);
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
    if (this.#queue.length > this.limits.maxQueue) {
      this.#drop(now, (e) => e.packet !== null && !e.packet.isInit);
    }
    this.#pumpOrWake(now);
  }

  /**
   * Queues a text frame behind what is already queued. A keyed frame replaces
   * a queued one with the same key in place; past `maxText` the oldest
   * droppable frame goes, and a viewer whose text queue is all undroppable is
   * closed. Ignored when the sink cannot send text.
   */
  send(frame: TextFrame): void {
    if (this.#closed || !this.#sink.writeText) return;
    const now = this.#now();
    if (frame.key !== undefined && this.#texts > 0) {
      const queued = this.#queue.find((e) => e.text?.key === frame.key);
      if (queued) {
        queued.text = frame;
        return this.#pumpOrWake(now);
      }
    }
    this.#queue.push({ packet: null, text: frame, watch: null, queuedAt: now });
    this.#texts++;
    if (this.#texts > this.limits.maxText) {
      const oldest = this.#queue.findIndex((e) => e.text?.droppable === true);
      if (oldest < 0) {
        this.close(CLOSE.tooSlow, "viewer too slow: it is not reading its messages");
        return;
      }
      this.#queue.splice(oldest, 1);
      this.#texts--;
      this.#noteSkipped(1, now);
    }
    this.#pumpOrWake(now);
  }

  /**
   * Hands queued packets to the sink while its pending bytes are under the
   * low watermark; skips ahead when too far behind; closes a stalled sink.
   */
  pump(now: number = this.#now()): boolean {
    if (this.#closed) return false;
    const head = this.#queue[0];
    if (head && now - head.queuedAt > this.limits.maxLagMs) this.#skip(now);
    let refused = false;
    let sent = 0;
    while (sent < this.#queue.length && !this.#closed) {
      const pending = this.#sink.pending;
      const entry = this.#queue[sent];
      if (pending > 0 && pending + sizeOf(entry) > this.limits.lowWatermark) break;
      if (!this.#write(entry)) {
        refused = true;
        break;
      }
      sent++;
    }
    if (this.#closed) return false;
    // Stuck: something could not go out, or the sink is full even with nothing queued.
    const stuck = refused || sent < this.#queue.length ||
      this.#sink.pending >= this.limits.lowWatermark;
    // One splice instead of a shift per entry: the queue may be long after a stall.
    if (sent > 0) this.#queue.splice(0, sent);
    if (stuck) {
      this.#blockedSince ??= now;
      if (now - this.#blockedSince >= this.limits.stallMs) {
        const seconds = Math.round(this.limits.stallMs / 1000);
        this.close(CLOSE.tooSlow, `viewer stalled: nothing could be sent for ${seconds} s`);
        return false;
      }
    } else {
      this.#blockedSince = null;
    }
    this.#skips.flush(now);
    return this.#queue.length > 0;
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
    this.#texts = 0;
    for (const watch of this.#watches.values()) watch.feed.detach(this);
    this.#watches.clear();
    this.#onClose?.(this);
  }

  #pumpOrWake(now: number): void {
    if (this.pump(now)) this.#sink.backlogged?.();
  }

  /** Hands one entry to the sink and counts it; false when the sink refused or failed. */
  #write(entry: Entry): boolean {
    try {
      const { packet, text } = entry;
      if (packet) {
        if (!this.#sink.write(packet)) return false;
        this.#sentBytes += packet.size;
        this.#sentSegments++;
        entry.watch!.feed.countOut(packet.size);
      } else {
        if (!this.#sink.writeText!(text!.text)) return false;
        this.#texts--;
      }
      return true;
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
        this.#noteSkipped(1, now);
        return;
      }
      watch.phase = "live";
    }
    this.#queue.push({ packet, text: null, watch, queuedAt: now });
  }

  /**
   * Per track, keeps a queued init (it must reach the player) and the newest
   * queued keyframe onward if it is within `maxLagMs`; drops the rest. A track
   * left without a keyframe waits for the next one.
   */
  #skip(now: number): void {
    const marks = new Map<Watch, { init: number; key: number }>();
    this.#queue.forEach((e, i) => {
      if (!e.packet || !e.watch) return;
      let m = marks.get(e.watch);
      if (!m) marks.set(e.watch, m = { init: -1, key: -1 });
      if (e.packet.isInit) m.init = i;
      else if (e.packet.keyframe && now - e.queuedAt <= this.limits.maxLagMs) m.key = i;
    });
    this.#drop(now, (e, i) => {
      if (!e.watch) return false; // text is bounded by maxText, not by lag
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
      if (e.packet && e.watch && shouldDrop(e, i)) {
        hit.add(e.watch);
        e.watch.feed.countSkipped(1);
        dropped++;
        return;
      }
      // A text frame or init kept through a skip is not lag: its age restarts.
      if (!e.packet || e.packet.isInit) e.queuedAt = now;
      else if (e.packet.keyframe) keptKey.add(e.watch!);
      kept.push(e);
    });
    this.#queue = kept;
    for (const watch of hit) if (!keptKey.has(watch)) watch.phase = "keyframe";
    this.#noteSkipped(dropped, now);
  }

  #noteSkipped(count: number, now: number): void {
    if (count <= 0) return;
    this.#skipped += count;
    this.#skips.note(this, this.label, count, now);
  }
}

/** Bytes an entry adds to the sink's pending count (text: its length, near enough). */
function sizeOf(entry: Entry): number {
  return entry.packet ? entry.packet.size : entry.text!.text.length;
}

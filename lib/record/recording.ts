/**
 * One recording in progress: the part files of every track, the event log
 * and meta.json, all on one timeline (ms since `startAt` by the hub's
 * monotonic clock; packets carry `arrivedAt` on that clock).
 *
 * `packet()` and `event()` are called synchronously from the hub's push path
 * and the room's event stream; they only queue bytes (see FileQueue).
 * `tick()` (about once a second) hands the queued bytes to the OS, and syncs
 * files and rewrites meta.json every 2 s. All file operations of a recording
 * go one at a time through its DiskLane (why: disk_lane.ts). The first write error stops the recording: `onError` is called once
 * and what was written is finished as usual. Creating the directory and a
 * part's file are the only synchronous file calls (once per part, a few
 * system calls), so a part's first bytes are queued behind an open file.
 */
import type { RoomEvent } from "../hub/events.ts";
import type { Packet } from "../hub/packet.ts";
import type { InitSegment } from "../media/segment.ts";
import { DiskLane } from "./disk_lane.ts";
import { FileQueue } from "./file_queue.ts";
import { EVENTS_FILE, type PartMeta, type RecordingMeta, timelineEnd, writeMeta } from "./meta.ts";
import { PartFile } from "./part_file.ts";

/** Files are synced and meta.json rewritten this often while recording. */
export const SYNC_EVERY_MS = 2000;

interface Part {
  meta: PartMeta;
  file: PartFile;
  /** Media before the first keyframe of a part cannot be decoded: it is left out. */
  started: boolean;
  /** The offset its first keyframe gave; null before it. */
  first: number | null;
  /** The presenter's clock (unix ms) at the part's media time 0, from its init; undefined if unknown. */
  clockMs?: number;
}

/** A part whose clock-based place differs more than this from its arrival is on another clock. */
const CLOCK_TRUST_MS = 1000;

/** How far network jitter may lower a part's offset below its first keyframe's. */
const JITTER_MS = 500;

export interface RecordingOptions {
  /** The recording's directory (created here). */
  dir: string;
  meta: RecordingMeta;
  /** Monotonic ms of timeline 0. */
  startAt: number;
  onError: (err: Error) => void;
  /** Told about problems that do not stop the recording (an MP4 left fragmented). */
  warn?: (message: string) => void;
}

export class Recording {
  readonly dir: string;
  readonly startAt: number;
  #meta: RecordingMeta;
  #parts: Part[] = [];
  #current = new Map<string, Part>();
  #events: FileQueue;
  #lastSync = -Infinity;
  #onError: (err: Error) => void;
  #warn: (message: string) => void;
  #error: Error | null = null;
  #finishing: Promise<void>[] = [];
  #finished: Promise<RecordingMeta> | null = null;
  #encoder = new TextEncoder();
  #lane = new DiskLane();
  /** The presenter's clock (unix ms) at timeline 0, from parts whose init carried it. */
  #clockZero: number | null = null;
  #firstZero: number | null = null;

  /** Creates the directory and event log; throws if they cannot be created. */
  constructor(options: RecordingOptions) {
    this.dir = options.dir;
    this.startAt = options.startAt;
    this.#meta = options.meta;
    this.#onError = options.onError;
    this.#warn = options.warn ?? (() => {});
    Deno.mkdirSync(this.dir, { recursive: true });
    this.#events = new FileQueue(`${this.dir}/${EVENTS_FILE}`, {
      truncate: true,
      onError: (err) => this.#fail(err),
      lane: this.#lane,
    });
    void this.#writeMeta(); // at once, so a crash before the first part still finds it
  }

  get id(): string {
    return this.#meta.id;
  }

  get error(): Error | null {
    return this.#error;
  }

  /** A copy of the current meta (parts with their sizes and durations so far). */
  get meta(): RecordingMeta {
    for (const part of this.#parts) {
      part.meta.bytes = part.file.size;
      part.meta.durationMs = Math.round(part.file.durationMs);
    }
    const meta = structuredClone(this.#meta);
    this.#parts.forEach((part, i) => meta.parts[i].offsetMs = this.#offsetOf(part));
    meta.durationMs = timelineEnd(meta.parts);
    return meta;
  }

  /** Renames the recording (the room's title changed). */
  rename(title: string): void {
    this.#meta.title = title;
  }

  /** A PATCH while recording: kept in memory, written with the next meta.json. */
  update(change: { title?: string; unlisted?: boolean }): void {
    if (change.title !== undefined) this.#meta.title = change.title;
    if (change.unlisted !== undefined) this.#meta.unlisted = change.unlisted;
  }

  /** Takes one packet of `track`. An init starts a new part; media goes to the track's part. */
  packet(packet: Packet, lastInit?: InitSegment): void {
    if (this.#error || this.#finished) return;
    const segment = packet.segment;
    if (segment.type === "init") {
      this.#newPart(packet.track, segment);
      return;
    }
    let part = this.#current.get(packet.track);
    if (!part) {
      if (!lastInit) return;
      part = this.#newPart(packet.track, lastInit);
      if (!part) return;
    }
    if (!part.started) {
      if (!segment.start || !segment.keyframe) return;
      part.started = true;
    }
    if (segment.start && segment.keyframe) {
      this.#placePart(part, packet.arrivedAt, segment.timestampMs);
    }
    part.file.append(segment);
    if (part.file.error) this.#fail(part.file.error);
  }

  /** Appends a room event at `now` (monotonic ms) as `{t, ...event}`. */
  event(event: RoomEvent, now: number): void {
    if (this.#error || this.#finished) return;
    const t = Math.max(0, Math.round(now - this.startAt));
    this.#events.append(this.#encoder.encode(JSON.stringify({ t, ...event }) + "\n"));
  }

  /** Hands queued bytes to the OS; syncs files and rewrites meta.json when SYNC_EVERY_MS has passed. */
  tick(now: number): Promise<void> {
    if (this.#finished) return Promise.resolve();
    if (now - this.#lastSync < SYNC_EVERY_MS) {
      const flushes = [...this.#current.values()].map((p) => p.file.flush());
      flushes.push(this.#events.flush());
      return Promise.all(flushes).then(() => {});
    }
    this.#lastSync = now;
    const syncs = [...this.#current.values()].map((p) => p.file.sync());
    syncs.push(this.#events.sync());
    return Promise.all(syncs).then(() => this.#writeMeta());
  }

  /**
   * Ends the recording: finishes every part (Cues, Duration), closes the
   * event log and writes the final meta.json. Idempotent; resolves to the meta.
   */
  finish(endedAt: number): Promise<RecordingMeta> {
    this.#finished ??= (async () => {
      for (const part of this.#current.values()) this.#finishPart(part);
      this.#current.clear();
      this.#finishing.push(this.#events.close((f) => f.syncData()));
      await Promise.all(this.#finishing);
      this.#meta.live = false;
      this.#meta.endedAt = endedAt;
      this.#meta.error = this.#error?.message ?? null;
      await this.#writeMeta();
      return this.meta;
    })();
    return this.#finished;
  }

  #finishPart(part: Part): void {
    this.#finishing.push(
      part.file.finish().then((warning) => {
        if (warning) this.#warn(`recording ${this.id}: ${warning}`);
      }),
    );
  }

  #newPart(track: string, init: InitSegment): Part | undefined {
    const previous = this.#current.get(track);
    if (previous) this.#finishPart(previous);
    const n = this.#parts.filter((p) => p.meta.track === track).length + 1;
    const ext = init.container === "mp4" ? "mp4" : "webm";
    const name = n === 1 ? `${track}.${ext}` : `${track}-${n}.${ext}`;
    let file: PartFile;
    try {
      file = new PartFile(`${this.dir}/${name}`, init, (err) => this.#fail(err), this.#lane);
    } catch (err) {
      this.#fail(err as Error);
      return undefined;
    }
    const meta: PartMeta = {
      track,
      file: name,
      mime: init.mime,
      offsetMs: 0,
      durationMs: 0,
      bytes: 0,
    };
    const part: Part = { meta, file, started: false, first: null, clockMs: init.clockMs };
    this.#parts.push(part);
    this.#meta.parts.push(meta);
    this.#current.set(track, part);
    void this.#writeMeta(); // so a crash before the next tick still finds the part
    return part;
  }

  /**
   * Where the part's media time 0 sits on the timeline, from arrivals: the
   * arrival minus media time of its first keyframe, lowered by later
   * keyframes that arrived with less delay (network jitter), but by at most
   * JITTER_MS, so a burst of media sent faster than real time cannot drag it
   * away. Parts whose init carries the presenter's clock (`clockMs`) also
   * refine `#clockZero`, the presenter's clock at timeline 0, the same way.
   */
  #placePart(part: Part, arrivedAt: number, timestampMs: number): void {
    const offset = Math.round(arrivedAt - this.startAt - timestampMs);
    if (part.first === null) {
      part.first = offset;
      part.meta.offsetMs = offset;
    } else if (offset < part.meta.offsetMs && offset >= part.first - JITTER_MS) {
      part.meta.offsetMs = offset;
    }
    if (part.clockMs === undefined) return;
    // Arrival is never early: the largest zero seen is the least delayed.
    const zero = part.clockMs - offset;
    if (this.#clockZero === null) this.#clockZero = this.#firstZero = zero;
    else if (zero > this.#clockZero && zero <= this.#firstZero! + JITTER_MS) this.#clockZero = zero;
  }

  /**
   * A part's offset: by the presenter's clock when its init has one (tracks
   * recorded by one page line up exactly, as that page played them), unless
   * that disagrees with its arrival by more than CLOCK_TRUST_MS (another
   * presenter's clock); else by arrival.
   */
  #offsetOf(part: Part): number {
    if (part.clockMs === undefined || this.#clockZero === null || part.first === null) {
      return part.meta.offsetMs;
    }
    const byClock = Math.round(part.clockMs - this.#clockZero);
    return Math.abs(byClock - part.meta.offsetMs) <= CLOCK_TRUST_MS ? byClock : part.meta.offsetMs;
  }

  #writeMeta(): Promise<void> {
    const snapshot = this.meta;
    return this.#lane.run(() => writeMeta(this.dir, snapshot)).catch((err) =>
      this.#fail(err as Error)
    );
  }

  #fail(err: Error): void {
    if (this.#error) return;
    this.#error = err;
    this.#onError(err);
  }
}

/**
 * Records one room: joins it as a service viewer that never skips (the hub
 * hands it every packet like any viewer, through a Sink, and never knows it
 * is a recorder) and listens to its event stream.
 *
 * One recording per live session: it starts when the room goes live (or at
 * the first packet) and ends once no track has been live for `graceMs`
 * (a presenter who reloads the studio keeps one recording), when the room
 * ends, or on `close()`. A write error ends the current recording at once;
 * the next live session tries again.
 */
import type { RoomEvent } from "../hub/events.ts";
import type { Packet } from "../hub/packet.ts";
import type { Room } from "../hub/room.ts";
import type { Sink } from "../hub/sink.ts";
import type { Subscriber } from "../hub/subscriber.ts";
import type { InitSegment } from "../media/segment.ts";
import type { RecordingMeta } from "./meta.ts";
import { LIVE_ONLY_TRACKS } from "../protocol.ts";
import type { Recording } from "./recording.ts";

export interface RoomRecorderOptions {
  /** Monotonic ms (the hub's clock). */
  now: () => number;
  /** Unix ms. */
  wallClock: () => number;
  /** No live track for this long ends the recording (default 10 s). */
  graceMs?: number;
  /**
   * Starts a recording of `room` with timeline 0 at `startAt`; throws if it
   * cannot. `onError` must be given to the Recording (its first write error).
   */
  begin: (room: Room, startAt: number, onError: (err: Error) => void) => Recording;
  /** A recording ended (finished on disk, or stopped by an error). */
  ended: (recording: Recording, meta: RecordingMeta) => void;
  failed: (recording: Recording | null, err: Error) => void;
}

export const DEFAULT_GRACE_MS = 10_000;

export class RoomRecorder implements Sink {
  readonly room: Room;
  readonly pending = 0;
  #options: RoomRecorderOptions;
  #graceMs: number;
  #recording: Recording | null = null;
  #subscriber: Subscriber | null = null;
  #unsubscribe: () => void;
  #lastInit = new Map<string, InitSegment>();
  #idleSince: number | null = null;
  /** This live session's recording failed: do not start another until the session ends. */
  #failed = false;
  #closed = false;
  #finishing = new Set<Promise<unknown>>();

  constructor(room: Room, options: RoomRecorderOptions) {
    this.room = room;
    this.#options = options;
    this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.#unsubscribe = room.events.subscribe((event) => this.#event(event));
    this.#subscriber = room.join(this, {
      label: "recorder",
      service: true,
      limits: { maxLagMs: Infinity, maxQueue: Infinity, stallMs: Infinity },
    });
  }

  /** The recording in progress, if any. */
  get recording(): Recording | null {
    return this.#recording;
  }

  /** Sink: every packet of every track, in order. Never refuses (a recorder must not skip). */
  write(packet: Packet): boolean {
    if (LIVE_ONLY_TRACKS.has(packet.track)) return true;
    if (packet.segment.type === "init") this.#lastInit.set(packet.track, packet.segment);
    const recording = this.#ensure(packet.arrivedAt);
    recording?.packet(packet, this.#lastInit.get(packet.track));
    return true;
  }

  /** Sink: the room ended (or the server is shutting down). */
  close(): void {
    this.#subscriber = null;
    this.stop();
  }

  /** Ends the recording when the room has had no live track for the grace period. */
  tick(now: number = this.#options.now()): void {
    if (this.room.liveSince !== null) {
      this.#idleSince = null;
    } else {
      this.#idleSince ??= now;
      if (now - this.#idleSince >= this.#graceMs) {
        this.#failed = false;
        this.#end();
      }
    }
    const pending = this.#recording?.tick(now);
    if (pending) this.#track(pending);
  }

  /** Stops recording this room for good; resolves once its recording is finished. */
  stop(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#unsubscribe();
      this.#subscriber?.unsubscribe();
      this.#end();
    }
    return this.settled();
  }

  /** Resolves when every recording this room started is finished on disk. */
  async settled(): Promise<void> {
    while (this.#finishing.size > 0) await Promise.all(this.#finishing);
  }

  #ensure(at: number): Recording | null {
    if (this.#recording || this.#failed || this.#closed) return this.#recording;
    try {
      let started: Recording | null = null;
      started = this.#options.begin(this.room, at, (err) => {
        // May run inside begin() or packet(): end the recording once it is known.
        queueMicrotask(() => started && this.#stopFailed(started, err));
      });
      this.#recording = started;
    } catch (err) {
      this.#failed = true;
      this.#options.failed(null, err as Error);
      return null;
    }
    this.#idleSince = null;
    const now = this.#options.now();
    const title = this.room.title;
    this.#recording.event({ type: "title", at: this.#options.wallClock(), title }, now);
    return this.#recording;
  }

  #event(event: RoomEvent): void {
    if (event.type === "live" && event.live === true) this.#ensure(this.#options.now());
    const recording = this.#recording;
    if (!recording) return;
    if (event.type === "title" && typeof event.title === "string") recording.rename(event.title);
    recording.event(event, this.#options.now());
  }

  #stopFailed(recording: Recording, err: Error): void {
    if (this.#recording !== recording) return;
    this.#failed = true;
    this.#options.failed(recording, err);
    this.#end();
  }

  #end(): void {
    const recording = this.#recording;
    if (!recording) return;
    this.#recording = null;
    this.#track(
      recording.finish(this.#options.wallClock()).then(
        (meta) => this.#options.ended(recording, meta),
        (err) => {
          // Still forget it as in progress: what was written stays on disk for repair.
          this.#options.failed(recording, err as Error);
          this.#options.ended(recording, recording.meta);
        },
      ),
    );
  }

  #track(promise: Promise<unknown>): void {
    const p = promise.catch(() => {}).finally(() => this.#finishing.delete(p));
    this.#finishing.add(p);
  }
}

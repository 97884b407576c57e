/**
 * The server's recorder: one RoomRecorder per room, started when the hub
 * creates the room (the hub calls nothing else; each RoomRecorder listens like
 * any viewer). Knows the recordings in progress; finished ones are read from
 * disk by the catalog.
 */
import type { Logger } from "../log.ts";
import type { Room } from "../hub/room.ts";
import { cryptoRandom, type RandomSource } from "../hub/secret.ts";
import { hashKey, newRecordingId, type RecordingMeta } from "./meta.ts";
import { Recording } from "./recording.ts";
import { RoomRecorder } from "./room_recorder.ts";

export interface RecorderOptions {
  /** `<dataDir>/recordings`. */
  root: string;
  /** Monotonic ms (the hub's clock: packets carry `arrivedAt` on it). */
  now: () => number;
  /** Unix ms. */
  wallClock?: () => number;
  log: Logger;
  random?: RandomSource;
  /** No live track for this long ends a recording (default 10 s). */
  graceMs?: number;
  /** Called once per recording stopped by an error (for the metric). */
  onError?: () => void;
}

export class Recorder {
  readonly root: string;
  #options: RecorderOptions;
  #wallClock: () => number;
  #rooms = new Map<Room, RoomRecorder>();
  /** Recordings in progress, by id. */
  #live = new Map<string, Recording>();
  /** Finishing recordings; close() waits for them. */
  #closing = new Set<RoomRecorder>();

  constructor(options: RecorderOptions) {
    this.root = options.root;
    this.#options = options;
    this.#wallClock = options.wallClock ?? (() => Date.now());
  }

  /** Starts recording `room` whenever it goes live. `key` is hashed at once and never kept. */
  attach(room: Room, key: string): void {
    const keyHash = hashKey(key);
    const { log, now } = this.#options;
    const recorder = new RoomRecorder(room, {
      now,
      wallClock: this.#wallClock,
      graceMs: this.#options.graceMs,
      begin: (room, startAt, onError) => {
        const id = newRecordingId(this.#options.random ?? cryptoRandom);
        const meta: RecordingMeta = {
          version: 1,
          id,
          roomId: room.id,
          title: room.title,
          startedAt: Math.round(this.#wallClock() - (now() - startAt)),
          endedAt: null,
          live: true,
          unlisted: false,
          keyHash,
          durationMs: 0,
          parts: [],
          error: null,
        };
        const recording = new Recording({
          dir: `${this.root}/${id}`,
          meta,
          startAt,
          onError,
          warn: (message) => log.warn(message),
        });
        this.#live.set(id, recording);
        log.info(`recording ${id} of room ${room.id} started`);
        return recording;
      },
      ended: (recording, meta) => {
        this.#live.delete(recording.id);
        if (meta.parts.length === 0) {
          // Live without a single segment (the publisher left at once): no lesson to keep.
          Deno.remove(recording.dir, { recursive: true }).catch(() => {});
          return;
        }
        const seconds = Math.round(meta.durationMs / 1000);
        log.info(`recording ${recording.id} of room ${room.id} finished: ${seconds} s`);
      },
      failed: (recording, err) => {
        this.#options.onError?.();
        const what = recording ? `recording ${recording.id}` : "a recording";
        log.error(`${what} of room ${room.id} stopped: ${err.message}; the live stream goes on`);
      },
    });
    this.#rooms.set(room, recorder);
  }

  /** The recording in progress in `roomId`, if any. */
  recordingOf(roomId: string): Recording | null {
    for (const [room, recorder] of this.#rooms) {
      if (room.id === roomId) return recorder.recording;
    }
    return null;
  }

  /** The recording in progress with this id, if any. */
  live(id: string): Recording | undefined {
    return this.#live.get(id);
  }

  /** Every recording in progress. */
  lives(): Recording[] {
    return [...this.#live.values()];
  }

  /** About once a second: ends recordings past their grace, syncs files, forgets ended rooms. */
  tick(now: number = this.#options.now()): void {
    for (const [room, recorder] of this.#rooms) {
      recorder.tick(now);
      if (room.ended) {
        this.#rooms.delete(room);
        this.#closing.add(recorder);
        recorder.settled().then(() => this.#closing.delete(recorder));
      }
    }
  }

  /** Stops every room's recording (server shutdown); resolves once all are finished on disk. */
  async close(): Promise<void> {
    const all = [...this.#rooms.values(), ...this.#closing];
    this.#rooms.clear();
    await Promise.all(all.map((r) => r.stop()));
  }
}

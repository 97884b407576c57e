/**
 * One part of one track on disk (`camera.webm`, `camera-2.webm`,
 * `screen.mp4`): written as segments arrive through a FileQueue (never
 * waiting), finished into a seekable file when the part ends.
 *
 * A WebM part gets the recorder's own head (see webm_head.ts) and a
 * ClusterIndex fed with every segment as it is queued, so finishing needs no
 * read of the file. A fragmented MP4 part is the init segment and the
 * fragments as received.
 */
import type { InitSegment, MediaSegment } from "../media/segment.ts";
import { ClusterIndex } from "./cluster_index.ts";
import type { DiskLane } from "./disk_lane.ts";
import { FileQueue } from "./file_queue.ts";
import { buildWebmHead, type WebmLayout } from "./webm_head.ts";
import { finishWebm, patchable } from "./webm_finish.ts";
import { remuxToMp4 } from "./mp4_remux.ts";
import { repairWebm } from "./repair.ts";

export class PartFile {
  readonly path: string;
  readonly container: "webm" | "mp4";
  #queue: FileQueue;
  #layout: WebmLayout | null = null;
  #index: ClusterIndex | null = null;
  #maxTimeMs = 0;
  #finalSize: number | null = null;
  #finalDurationMs: number | null = null;

  /**
   * Creates (or replaces) the file and queues its head. Throws MediaError for
   * a bad init, or the open error. `onError` gets the first write error;
   * `lane` orders its file operations with the recording's others.
   */
  constructor(path: string, init: InitSegment, onError: (err: Error) => void, lane?: DiskLane) {
    this.path = path;
    this.container = init.container;
    const head = init.container === "webm" ? buildWebmHead(init.bytes) : null;
    this.#queue = new FileQueue(path, { truncate: true, onError, lane });
    if (head) {
      this.#layout = head.layout;
      this.#index = new ClusterIndex(head.layout, head.bytes.length);
      this.#queue.append(head.bytes);
    } else {
      this.#queue.append(init.bytes);
    }
  }

  /** Bytes written or queued. */
  get size(): number {
    return this.#finalSize ?? this.#queue.size;
  }

  /** Latest media time in ms on the part's own timeline (its Duration). */
  get durationMs(): number {
    return this.#finalDurationMs ?? (this.#index ? this.#index.durationMs : this.#maxTimeMs);
  }

  get error(): Error | null {
    return this.#queue.error;
  }

  /** Queues a media segment (whole elements or boxes). Never waits, never throws. */
  append(segment: MediaSegment): void {
    if (this.#queue.error) return;
    if (segment.timestampMs > this.#maxTimeMs) this.#maxTimeMs = segment.timestampMs;
    this.#index?.scan(segment.bytes, this.#queue.size);
    this.#queue.append(segment.bytes);
  }

  /** Hands what is queued to the OS (see FileQueue.flush). */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  sync(): Promise<void> {
    return this.#queue.sync();
  }

  /**
   * Ends the part: writes what is queued, finishes a WebM in place (Cues,
   * Duration, sizes) or remuxes a fragmented MP4 into a regular one, closes.
   * Resolves to a warning when an MP4 could not be remuxed (it stays
   * fragmented and playable) or was remuxed with damaged codec data, else null.
   */
  async finish(): Promise<string | null> {
    await this.#queue.close(async (file) => {
      if (this.#layout && this.#index) {
        this.#finalSize = await finishWebm(patchable(file), this.#layout, this.#index);
      } else {
        await file.syncData();
      }
    });
    if (this.#queue.error) {
      // What reached the disk ends wherever the error struck: finish it from a scan, as after a crash.
      if (this.container === "webm") await repairWebm(this.path).catch(() => null);
      return null;
    }
    if (this.container !== "mp4") return null;
    try {
      const { bytes, durationMs, warning } = await remuxToMp4(this.path);
      this.#finalSize = bytes;
      this.#finalDurationMs = durationMs;
      return warning && `${this.path}: ${warning}`;
    } catch (err) {
      return `${this.path} stays fragmented MP4: ${(err as Error).message}`;
    }
  }
}

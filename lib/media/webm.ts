/**
 * Incremental WebM (Matroska) demuxer for live MediaRecorder streams.
 *
 * Emits one init segment (EBML header + Segment head up to the first
 * Cluster), then media pieces at element granularity so that the output never
 * depends on how the input was chunked:
 * - a `start` piece per Cluster: the cluster head plus every block up to and
 *   including the first video block (the first block in audio-only streams).
 *   Holding it back until then lets `keyframe` say whether that video block is
 *   a keyframe; a cluster without video in a video stream is not a keyframe.
 * - one continuation piece per following Cluster child (usually a block).
 * Segment and Cluster may have unknown size (all-ones); an unknown-size
 * Cluster ends at the first ID that cannot be a Cluster child. Segment-level
 * elements after the first Cluster (Cues, Tags, Void...) are dropped, and an
 * EBML header after that starts a new stream with a new init segment.
 *
 * Bytes are read in place in a bounded ByteQueue and copied out once per push:
 * the pieces of one push are views of that one copy (so coalesce() merges them
 * for free, and a kept piece keeps at most one push's bytes alive).
 * No element except Segment and Cluster may exceed `maxElementBytes`, nor may
 * the init segment or a held-back cluster head; after a MediaError the
 * demuxer is unusable. The queue reports its memory to `options.memory`
 * before it grows (the server counts it in --max-memory-mb); a refusal there
 * fails the push with that error, which ends the stream.
 */

import { ByteQueue, feed, readUint } from "./bytes.ts";
import { ElementHeader, Id, idName, readElementHeader, UNKNOWN_SIZE } from "./ebml.ts";
import { DEFAULT_MAX_ELEMENT_BYTES, type DemuxerOptions } from "./options.ts";
import { BlockInfo, forEachChild, readBlock, readTimestampScale, readTracks } from "./matroska.ts";
import { streamMime } from "./mime.ts";
import { type Demuxer, MediaError, type Segment, type TrackInfo } from "./segment.ts";

/** Where the parser is: before a Segment, in its head, between Clusters, inside one. */
type State = "top" | "head" | "body" | "cluster";

const SEGMENT_CHILDREN = new Set<number>([
  Id.SeekHead,
  Id.Info,
  Id.Tracks,
  Id.Cues,
  Id.Attachments,
  Id.Chapters,
  Id.Tags,
  Id.Void,
  Id.CRC32,
]);

const CLUSTER_CHILDREN = new Set<number>([
  Id.Timestamp,
  Id.SilentTracks,
  Id.Position,
  Id.PrevSize,
  Id.SimpleBlock,
  Id.BlockGroup,
  Id.EncryptedBlock,
  Id.Void,
  Id.CRC32,
]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const EMPTY = new Uint8Array(0);

export class WebmDemuxer implements Demuxer {
  readonly #max: number;
  readonly #queue: ByteQueue;
  readonly #header = new ElementHeader();
  readonly #block = new BlockInfo();
  #state: State = "top";
  #error: MediaError | undefined;
  /** Bytes at the queue's front that belong to `#pending` pieces, copied out in one go. */
  #done = 0;
  #pending: Mutable<Segment>[] = [];
  #lengths: number[] = [];
  /** Bytes after those that are parsed but not yet emitted (init or cluster head). */
  #held = 0;
  /** Bytes of a dropped element still to discard. */
  #skip = 0;
  #sawEbml = false;
  #segmentEnd = Infinity;
  #clusterEnd = Infinity;
  // Per stream, from Info and Tracks.
  #tracks: TrackInfo[] = [];
  #video = new Set<number>();
  #msPerTick = 1;
  // Per cluster.
  #clusterTime = 0;
  #startPending = false;
  #firstTime = NaN;
  #lastTime = 0;

  constructor(options: DemuxerOptions = {}) {
    this.#max = options.maxElementBytes ?? DEFAULT_MAX_ELEMENT_BYTES;
    // Room for a held piece (<= max), one element (<= max) and one input slice.
    this.#queue = new ByteQueue(2 * this.#max + 64 * 1024, options.memory);
  }

  push(chunk: Uint8Array): Segment[] {
    if (this.#error) throw this.#error;
    const out: Segment[] = [];
    try {
      feed(
        this.#queue,
        chunk,
        () => this.#parse(out),
        () => this.#fail(`buffered ${this.#queue.length} bytes without progress`),
      );
    } catch (e) {
      if (e instanceof MediaError) this.#error = e;
      throw e;
    }
    return out;
  }

  end(): Segment[] {
    if (this.#error) throw this.#error;
    const out: Segment[] = [];
    const q = this.#queue;
    const where = `at byte ${q.offset + this.#held}`;
    if (this.#skip > 0) throw this.#fail(`stream ended inside an element ${where}`);
    if (this.#state === "cluster") {
      if (q.length > this.#held) throw this.#fail(`stream ended inside an element ${where}`);
      if (this.#clusterEnd !== Infinity) throw this.#fail(`stream ended inside a Cluster ${where}`);
      this.#endCluster();
      this.#flush(out);
    } else if (q.length > 0) {
      throw this.#fail(
        this.#state === "head"
          ? `stream ended before the first Cluster ${where}`
          : `stream ended inside an element ${where}`,
      );
    }
    this.#error = new MediaError("push() after end()");
    return out;
  }

  #fail(message: string): MediaError {
    return (this.#error = new MediaError(`WebM: ${message}`));
  }

  #parse(out: Segment[]): void {
    this.#scan(out);
    this.#flush(out);
  }

  /** Copies the bytes of all pending pieces out at once; pieces get views of that copy. */
  #flush(out: Segment[]): void {
    if (this.#done === 0) return;
    const slab = this.#queue.take(this.#done);
    let at = 0;
    for (let i = 0; i < this.#pending.length; i++) {
      const piece = this.#pending[i];
      piece.bytes = slab.subarray(at, at += this.#lengths[i]);
      out.push(piece);
    }
    this.#pending.length = 0;
    this.#lengths.length = 0;
    this.#done = 0;
  }

  #scan(out: Segment[]): void {
    const q = this.#queue;
    const h = this.#header;
    for (;;) {
      if (this.#skip > 0) {
        this.#flush(out); // the skipped bytes follow the pending pieces' bytes
        const n = Math.min(this.#skip, q.length);
        q.skip(n);
        this.#skip -= n;
        if (this.#skip > 0) return;
      }
      const bytes = q.bytes;
      const pos = q.start + this.#done + this.#held;
      const end = q.start + q.length;
      const offset = q.offset + this.#done + this.#held;
      if (
        this.#state === "cluster" && (offset === this.#clusterEnd || offset === this.#segmentEnd)
      ) {
        this.#endCluster();
        continue;
      }
      if (offset === this.#segmentEnd) {
        if (this.#state === "head") this.#emitInit();
        this.#state = "top";
        this.#segmentEnd = Infinity;
        continue;
      }
      const headerLength = readElementHeader(bytes, pos, end, offset, h);
      if (headerLength === 0) return;
      const id = h.id;
      const size = h.size;

      if (id === Id.Cluster && (this.#state === "head" || this.#state === "body")) {
        if (this.#state === "head") this.#emitInit();
        this.#startCluster(offset, headerLength, size);
        continue;
      }
      if (this.#state === "cluster" && !CLUSTER_CHILDREN.has(id)) {
        if (this.#clusterEnd !== Infinity) throw this.#unexpected(id, offset, "inside a Cluster");
        this.#endCluster(); // an unknown-size Cluster ends where a non-child begins
        continue;
      }
      if (this.#state === "body" && id === Id.EBML) {
        this.#state = "top"; // a new stream follows: parse it as from the start
        this.#segmentEnd = Infinity;
        this.#sawEbml = false;
        continue;
      }
      if (id === Id.Segment && this.#state === "top") {
        if (!this.#sawEbml) throw this.#fail(`Segment without an EBML header at byte ${offset}`);
        this.#held += headerLength;
        this.#segmentEnd = size === UNKNOWN_SIZE ? Infinity : offset + headerLength + size;
        this.#state = "head";
        continue;
      }

      // Everything else is read whole.
      if (size === UNKNOWN_SIZE) {
        throw this.#fail(`element ${idName(id)} at byte ${offset} has unknown size`);
      }
      const total = headerLength + size;
      if (size > this.#max) {
        throw this.#fail(
          `element ${
            idName(id)
          } at byte ${offset} is ${size} bytes, over the ${this.#max}-byte limit`,
        );
      }
      if (offset + total > Math.min(this.#segmentEnd, this.#clusterEnd)) {
        throw this.#fail(`element ${idName(id)} at byte ${offset} overruns its parent`);
      }
      if (this.#state === "top") {
        if (id !== Id.EBML && id !== Id.Void) throw this.#unexpected(id, offset, "at top level");
        if (this.#held + total > this.#max) throw this.#fail(`init segment over the limit`);
        if (pos + total > end) return;
        this.#sawEbml ||= id === Id.EBML;
        this.#held += total;
      } else if (this.#state === "head") {
        if (!SEGMENT_CHILDREN.has(id)) throw this.#unexpected(id, offset, "in the Segment head");
        if (this.#held + total > this.#max) {
          throw this.#fail(`init segment over the ${this.#max}-byte limit at byte ${offset}`);
        }
        if (pos + total > end) return;
        const body = pos + headerLength;
        if (id === Id.Info) {
          this.#msPerTick = readTimestampScale(bytes, body, body + size, offset + headerLength) /
            1e6;
        } else if (id === Id.Tracks) {
          this.#tracks = readTracks(bytes, body, body + size, offset + headerLength);
        }
        this.#held += total;
      } else if (this.#state === "body") {
        if (!SEGMENT_CHILDREN.has(id)) throw this.#unexpected(id, offset, "in the Segment");
        this.#skip = total; // Cues, Tags and the like do not go to viewers
      } else {
        if (pos + total > end) return;
        this.#clusterChild(id, bytes, pos + headerLength, size, total, offset);
      }
    }
  }

  #emitInit(): void {
    if (this.#tracks.length === 0) throw this.#fail("no audio or video track in Tracks");
    this.#video = new Set(this.#tracks.filter((t) => t.kind === "video").map((t) => t.number));
    const kind = this.#video.size > 0 ? "video" : "audio";
    const mime = streamMime(kind, "webm", this.#tracks.map((t) => t.codec));
    this.#pending.push({
      type: "init",
      container: "webm",
      mime,
      tracks: this.#tracks,
      bytes: EMPTY,
    });
    this.#lengths.push(this.#held);
    this.#done += this.#held;
    this.#held = 0;
    this.#state = "body";
  }

  #startCluster(offset: number, headerLength: number, size: number): void {
    this.#clusterEnd = size === UNKNOWN_SIZE ? Infinity : offset + headerLength + size;
    if (this.#clusterEnd > this.#segmentEnd) {
      throw this.#fail(`Cluster at byte ${offset} overruns its Segment`);
    }
    this.#state = "cluster";
    this.#held = headerLength;
    this.#startPending = true;
    this.#clusterTime = 0;
    this.#firstTime = NaN;
  }

  #clusterChild(
    id: number,
    bytes: Uint8Array,
    body: number,
    size: number,
    total: number,
    offset: number,
  ): void {
    let isBlock = false;
    const block = this.#block;
    if (id === Id.Timestamp) {
      if (size > 8) throw this.#fail(`Cluster Timestamp at byte ${offset} is ${size} bytes`);
      this.#clusterTime = readUint(bytes, body, size);
      this.#lastTime = this.#clusterTime * this.#msPerTick;
    } else if (id === Id.SimpleBlock) {
      readBlock(bytes, body, body + size, offset + total - size, block);
      isBlock = true;
    } else if (id === Id.BlockGroup) {
      isBlock = this.#readBlockGroup(bytes, body, body + size, offset + total - size);
    }
    if (isBlock) this.#lastTime = (this.#clusterTime + block.relativeTime) * this.#msPerTick;

    if (!this.#startPending) {
      this.#emit(false, false, this.#lastTime, total);
      return;
    }
    this.#held += total;
    if (isBlock) {
      if (Number.isNaN(this.#firstTime)) this.#firstTime = this.#lastTime;
      if (this.#video.has(block.track)) this.#emitStart(block.keyframe);
      else if (this.#video.size === 0) this.#emitStart(true);
    }
    // A cluster head held this long has no video to decide on: never a starting point.
    if (this.#startPending && this.#held > this.#max) this.#emitStart(false);
  }

  /** Reads a BlockGroup into `#block`; returns false if it has no Block. */
  #readBlockGroup(bytes: Uint8Array, pos: number, end: number, offset: number): boolean {
    let found = false;
    let referenced = false;
    forEachChild(bytes, pos, end, offset, (id, body, size) => {
      if (id === Id.Block) {
        readBlock(bytes, body, body + size, offset + body - pos, this.#block);
        found = true;
      } else if (id === Id.ReferenceBlock) referenced = true;
    });
    if (!found) throw this.#fail(`BlockGroup without a Block at byte ${offset}`);
    this.#block.keyframe = !referenced;
    return true;
  }

  #endCluster(): void {
    if (this.#startPending) this.#emitStart(this.#video.size === 0);
    this.#state = "body";
    this.#clusterEnd = Infinity;
  }

  #emitStart(keyframe: boolean): void {
    const time = Number.isNaN(this.#firstTime)
      ? this.#clusterTime * this.#msPerTick
      : this.#firstTime;
    this.#startPending = false;
    this.#emit(true, keyframe, time, this.#held);
    this.#held = 0;
  }

  #emit(start: boolean, keyframe: boolean, timestampMs: number, n: number): void {
    this.#pending.push({ type: "media", start, keyframe, timestampMs, bytes: EMPTY });
    this.#lengths.push(n);
    this.#done += n;
  }

  #unexpected(id: number, offset: number, where: string): MediaError {
    return this.#fail(`unexpected element ID ${idName(id)} ${where} at byte ${offset}`);
  }
}

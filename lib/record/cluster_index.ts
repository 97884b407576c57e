/**
 * What the recorder must know about the clusters it wrote to finish a WebM
 * part: where each cluster starts, whether its size is unknown (and
 * patchable), which clusters open on a keyframe (the cue points) and the
 * latest block time (the Duration). Pure.
 *
 * `scan()` reads whole elements only: while recording it is handed each
 * segment as written (the demuxer emits whole elements: a cluster head, then
 * blocks); when repairing a part after a crash it is handed the file in
 * chunks and returns how far it got, so a partial trailing element is left
 * out (and truncated by the caller).
 */
import { ElementHeader, Id, readElementHeader, readVint, UNKNOWN_SIZE } from "../media/ebml.ts";
import { readUint } from "../media/bytes.ts";
import type { WebmLayout } from "./webm_head.ts";

export interface ClusterMark {
  /** File position of the Cluster's ID. */
  at: number;
  /** Length of its size vint; an unknown size of 8 bytes can be patched. */
  sizeLength: number;
  /** True when the size is unknown (live streams). */
  unknownSize: boolean;
}

export interface CuePoint {
  /** In Matroska ticks. */
  time: number;
  /** File position of the cluster's ID. */
  at: number;
}

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

export class ClusterIndex {
  readonly clusters: ClusterMark[] = [];
  readonly cues: CuePoint[] = [];
  /** Latest block time seen, in ticks; -1 before any block. */
  maxTime = -1;
  /** End of the last whole element scanned (file position). */
  end: number;
  #layout: WebmLayout;
  #video: Set<number>;
  #header = new ElementHeader();
  #clusterEnd = Infinity;
  #inCluster = false;
  #clusterTime = 0;
  /** The current cluster's first block of the cue track is not decided yet. */
  #undecided = false;

  constructor(layout: WebmLayout, start: number) {
    this.#layout = layout;
    this.#video = new Set(layout.videoTracks);
    this.end = start;
  }

  /** Latest block time in ms (0 before any block): the part's Duration. */
  get durationMs(): number {
    return Math.max(0, this.maxTime) * this.#layout.msPerTick;
  }

  /**
   * Scans whole elements of `bytes`, which sit at file position `at` (must be
   * `end`). Returns the number of bytes consumed; stops before a partial
   * element or before anything that is not a Cluster or its child (Cues of an
   * interrupted finish), where `stopped` becomes true.
   */
  scan(bytes: Uint8Array, at: number): number {
    const h = this.#header;
    let pos = 0;
    while (pos < bytes.length && !this.stopped) {
      const offset = at + pos;
      if (this.#inCluster && offset >= this.#clusterEnd) this.#inCluster = false;
      const headerLength = readElementHeader(bytes, pos, bytes.length, offset, h);
      if (headerLength === 0) break;
      if (h.id === Id.Cluster) {
        this.#openCluster(offset, headerLength, h.size);
        pos += headerLength;
        this.end = at + pos;
        continue;
      }
      if (!this.#inCluster || !CLUSTER_CHILDREN.has(h.id) || h.size === UNKNOWN_SIZE) {
        this.stopped = true;
        break;
      }
      const total = headerLength + h.size;
      if (pos + total > bytes.length) break;
      this.#child(h.id, bytes, pos + headerLength, h.size);
      pos += total;
      this.end = at + pos;
    }
    return pos;
  }

  /** Set when the scan met something that is not cluster data. */
  stopped = false;

  #openCluster(at: number, headerLength: number, size: number): void {
    const sizeLength = headerLength - 4;
    this.clusters.push({ at, sizeLength, unknownSize: size === UNKNOWN_SIZE });
    this.#inCluster = true;
    this.#clusterEnd = size === UNKNOWN_SIZE ? Infinity : at + headerLength + size;
    this.#clusterTime = 0;
    this.#undecided = true;
  }

  #child(id: number, bytes: Uint8Array, body: number, size: number): void {
    if (id === Id.Timestamp && size <= 8) {
      this.#clusterTime = readUint(bytes, body, size);
      return;
    }
    let blockAt = body;
    let keyframe: boolean;
    if (id === Id.SimpleBlock) {
      keyframe = true;
    } else if (id === Id.BlockGroup) {
      // Block is the first child in practice; a ReferenceBlock anywhere means not a keyframe.
      blockAt = -1;
      keyframe = true;
      let p = body;
      const h = new ElementHeader();
      while (p < body + size) {
        const n = readElementHeader(bytes, p, body + size, p, h);
        if (n === 0 || h.size === UNKNOWN_SIZE) return;
        if (h.id === Id.Block) blockAt = p + n;
        if (h.id === Id.ReferenceBlock) keyframe = false;
        p += n + h.size;
      }
      if (blockAt < 0) return;
    } else {
      return;
    }
    const track = readVint(bytes, blockAt, body + size, blockAt);
    if (!(track > 0)) return;
    const p = blockAt + (Math.clz32(bytes[blockAt]) - 23);
    if (p + 3 > body + size) return;
    const relative = ((bytes[p] << 24) | (bytes[p + 1] << 16)) >> 16;
    if (id === Id.SimpleBlock) keyframe = (bytes[p + 2] & 0x80) !== 0;
    const time = this.#clusterTime + relative;
    if (time > this.maxTime) this.maxTime = time;
    if (!this.#undecided) return;
    const video = this.#video.size > 0;
    if (video && !this.#video.has(track)) return;
    this.#undecided = false;
    if (keyframe || !video) {
      const cluster = this.clusters[this.clusters.length - 1];
      this.cues.push({ time, at: cluster.at });
    }
  }
}

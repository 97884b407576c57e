/**
 * Incremental fragmented-MP4 (ISO BMFF) demuxer, for Safari's MediaRecorder
 * and CMAF-style encoders.
 *
 * The init segment is every top-level box before the first fragment (ftyp,
 * moov, free...). Each fragment — any styp/sidx/prft/emsg/free boxes, then
 * moof, then mdat — is emitted whole as one `start` piece, so output never
 * depends on input chunking. `keyframe` is true when the first sample of every
 * video track in the moof is a sync sample (trun first_sample_flags, else the
 * first sample's flags, else tfhd, else trex defaults; always true for audio
 * only). `timestampMs` is the fragment's base decode time (tfdt) on the first
 * video track, or the first track. A stray mdat after a fragment becomes a
 * continuation piece; mfra is dropped; a new ftyp/moov after fragments starts
 * a new stream with a new init segment.
 *
 * Memory: boxes, the init segment and each fragment are capped at
 * `maxElementBytes`; bytes are copied once into a bounded queue and once out,
 * and the queue reports its memory to `options.memory` before it grows (a
 * refusal fails the push with that error, which ends the stream). After a
 * MediaError the demuxer is unusable.
 */

import { ByteQueue, feed } from "./bytes.ts";
import {
  BoxHeader,
  forEachBox,
  FRAGMENT_HINT,
  type Mp4Track,
  readBoxHeader,
  readMoov,
  readTraf,
} from "./isobmff.ts";
import { streamMime } from "./mime.ts";
import { DEFAULT_MAX_ELEMENT_BYTES, type DemuxerOptions } from "./options.ts";
import { type Demuxer, MediaError, type Segment } from "./segment.ts";

/** Top-level boxes that may precede a moof as part of its fragment. */
const FRAGMENT_PREFIX = new Set(["styp", "sidx", "ssix", "prft", "emsg"]);

export class Mp4Demuxer implements Demuxer {
  readonly #max: number;
  readonly #queue: ByteQueue;
  readonly #header = new BoxHeader();
  #error: MediaError | undefined;
  /** Bytes at the queue's front parsed but not emitted: the init, or a fragment so far. */
  #held = 0;
  #inInit = true;
  #sawMoov = false;
  #sawMoof = false;
  #fragmentsSinceInit = 0;
  #tracks: Mp4Track[] = [];
  #keyframe = false;
  #timestampMs = 0;
  #lastTimestampMs = 0;
  #nextDecodeTime = new Map<number, number>();

  constructor(options: DemuxerOptions = {}) {
    this.#max = options.maxElementBytes ?? DEFAULT_MAX_ELEMENT_BYTES;
    this.#queue = new ByteQueue(this.#max + 64 * 1024, options.memory);
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
    const q = this.#queue;
    if (q.length > 0) {
      const what = this.#inInit ? "before the first fragment" : "inside a fragment";
      throw this.#fail(`stream ended ${what} at byte ${q.offset + this.#held}`);
    }
    this.#error = new MediaError("push() after end()");
    return [];
  }

  #fail(message: string): MediaError {
    return (this.#error = new MediaError(message.startsWith("MP4") ? message : `MP4: ${message}`));
  }

  #parse(out: Segment[]): void {
    const q = this.#queue;
    const h = this.#header;
    for (;;) {
      const bytes = q.bytes;
      const pos = q.start + this.#held;
      const end = q.start + q.length;
      const offset = q.offset + this.#held;
      if (readBoxHeader(bytes, pos, end, offset, h) === 0) return;
      const { type, size } = h;
      if (size > this.#max) {
        throw this.#fail(`box '${type}' at byte ${offset} is ${size} bytes, over the limit`);
      }
      if (!this.#inInit && this.#held === 0 && (type === "ftyp" || type === "moov")) {
        this.#startInit(); // a new stream follows
      }
      const startsFragment = type === "moof" || FRAGMENT_PREFIX.has(type);
      if (this.#inInit && startsFragment) {
        if (!this.#sawMoov) throw this.#fail(`'${type}' at byte ${offset} before any moov`);
        this.#emitInit(out);
        continue;
      }
      if (this.#held + size > this.#max) {
        const what = this.#inInit ? "init segment" : "fragment";
        throw this.#fail(`${what} reaches over the ${this.#max}-byte limit at byte ${offset}`);
      }
      if (pos + size > end) return;
      const body = pos + h.headerLength;
      const bodyOffset = offset + h.headerLength;

      if (this.#inInit) {
        if (type === "mdat") {
          throw this.#fail(
            this.#sawMoov
              ? `mdat at byte ${offset} without a moof`
              : `mdat at byte ${offset} before any moov: not a fragmented MP4? ${FRAGMENT_HINT}`,
          );
        }
        if (type === "moov") {
          this.#tracks = readMoov(bytes, body, pos + size, bodyOffset);
          if (this.#tracks.length === 0) throw this.#fail("moov has no audio or video track");
          this.#sawMoov = true;
        }
        this.#held += size;
      } else if (type === "moof") {
        if (this.#sawMoof) throw this.#fail(`moof at byte ${offset} follows a moof without mdat`);
        this.#readMoof(bytes, body, pos + size, bodyOffset);
        this.#sawMoof = true;
        this.#held += size;
      } else if (type === "mdat") {
        if (this.#sawMoof) {
          this.#held += size;
          this.#emit(out, true, this.#keyframe, this.#timestampMs);
          this.#sawMoof = false;
          this.#fragmentsSinceInit++;
        } else if (this.#held === 0 && this.#fragmentsSinceInit > 0) {
          this.#held = size; // a second mdat of the previous fragment
          this.#emit(out, false, false, this.#lastTimestampMs);
        } else {
          throw this.#fail(`mdat at byte ${offset} without a moof`);
        }
      } else if (type === "mfra" && this.#held === 0) {
        q.skip(size); // random-access index at the end of a file: no use to viewers
      } else {
        if (this.#sawMoof) throw this.#fail(`'${type}' at byte ${offset} between moof and mdat`);
        this.#held += size; // styp, sidx, prft, emsg, free...: part of the next fragment
      }
    }
  }

  #startInit(): void {
    this.#inInit = true;
    this.#sawMoov = false;
    this.#fragmentsSinceInit = 0;
    this.#nextDecodeTime.clear();
  }

  #emitInit(out: Segment[]): void {
    const kind = this.#tracks.some((t) => t.kind === "video") ? "video" : "audio";
    const tracks = this.#tracks.map(({ number, kind, codec }) => ({ number, kind, codec }));
    out.push({
      type: "init",
      container: "mp4",
      mime: streamMime(kind, "mp4", tracks.map((t) => t.codec)),
      tracks,
      bytes: this.#queue.take(this.#held),
    });
    this.#held = 0;
    this.#inInit = false;
  }

  #readMoof(bytes: Uint8Array, pos: number, end: number, offset: number): void {
    const hasVideo = this.#tracks.some((t) => t.kind === "video");
    let keyframe = true;
    let sawVideo = false;
    let timeMs = NaN;
    let timeFromVideo = false;
    forEachBox(bytes, pos, end, offset, (type, body, bodyEnd) => {
      if (type !== "traf") return;
      const traf = readTraf(bytes, body, bodyEnd, offset + body - pos);
      const track = this.#tracks.find((t) => t.number === traf.track);
      if (!track || traf.samples === 0) return;
      const decodeTime = Number.isNaN(traf.baseTime)
        ? this.#nextDecodeTime.get(track.number) ?? 0
        : traf.baseTime;
      const defaultDuration = Number.isNaN(traf.defaultDuration)
        ? track.defaultDuration
        : traf.defaultDuration;
      const duration = traf.duration + traf.defaultedSamples * defaultDuration;
      this.#nextDecodeTime.set(track.number, decodeTime + duration);
      const isVideo = track.kind === "video";
      if (Number.isNaN(timeMs) || (isVideo && !timeFromVideo)) {
        timeMs = (decodeTime / track.timescale) * 1000;
        timeFromVideo = isVideo;
      }
      if (isVideo) {
        sawVideo = true;
        const flags = Number.isNaN(traf.firstFlags) ? track.defaultFlags : traf.firstFlags;
        if (flags & 0x10000) keyframe = false; // sample_is_non_sync_sample
      }
    });
    this.#keyframe = hasVideo ? sawVideo && keyframe : true;
    this.#timestampMs = Number.isNaN(timeMs) ? this.#lastTimestampMs : timeMs;
  }

  #emit(out: Segment[], start: boolean, keyframe: boolean, timestampMs: number): void {
    out.push({ type: "media", start, keyframe, timestampMs, bytes: this.#queue.take(this.#held) });
    this.#held = 0;
    this.#lastTimestampMs = timestampMs;
  }
}

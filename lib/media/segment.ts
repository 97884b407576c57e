/**
 * The typed records that container parsers emit and the hub stores.
 *
 * A live stream is one init segment followed by media segments. Parsers emit
 * media pieces at element granularity (one Matroska Cluster head or block, one
 * MP4 moof+mdat) so that segmentation does not depend on how the input was
 * chunked; `coalesce()` then merges the pieces of one push into as few
 * segments as possible before they reach viewers.
 */

/** Container formats the hub understands. */
export type Container = "webm" | "mp4";

/** What kind of media a track inside a container carries. */
export interface TrackInfo {
  /** Track number (Matroska TrackNumber, MP4 track_ID). */
  readonly number: number;
  readonly kind: "video" | "audio";
  /** RFC 6381 codec string for MSE, e.g. "vp8", "vp09.00.10.08", "avc1.42E01E", "opus". */
  readonly codec: string;
}

/** The bytes a decoder needs before any media: EBML head + Segment head, or ftyp + moov. */
export interface InitSegment {
  readonly type: "init";
  readonly container: Container;
  /** MIME type with codecs, ready for `MediaSource.isTypeSupported`. */
  readonly mime: string;
  readonly tracks: readonly TrackInfo[];
  readonly bytes: Uint8Array;
  /**
   * The presenter's clock (Unix ms) at media time 0, from `track-start`; set
   * by the session, not the parser. Absent when unknown (e.g. HTTP ingest).
   */
  readonly clockMs?: number;
}

/** A piece of media after the init segment. */
export interface MediaSegment {
  readonly type: "media";
  /** True when these bytes open a cluster (WebM) or fragment (MP4). */
  readonly start: boolean;
  /**
   * True when the piece opens a cluster/fragment whose first frame on every
   * video track is a keyframe: a new viewer may begin here. Always false for
   * continuation pieces; true for every opening piece of an audio-only stream.
   */
  readonly keyframe: boolean;
  /** Presentation time in ms on the stream's own timeline of the first frame in the piece. */
  readonly timestampMs: number;
  readonly bytes: Uint8Array;
}

export type Segment = InitSegment | MediaSegment;

/** An incremental parser: takes bytes split anywhere, returns complete segments. */
export interface Demuxer {
  /** Feed the next bytes; returns the segments they complete. Throws MediaError on bad input. */
  push(chunk: Uint8Array): Segment[];
  /** End of stream: returns what is left that is complete; throws MediaError if truncated mid-element. */
  end(): Segment[];
}

/** Bad, truncated or oversized media. Ends that stream only; the message says what was wrong. */
export class MediaError extends Error {
  override name = "MediaError";
}

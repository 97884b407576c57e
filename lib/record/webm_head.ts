/**
 * The head the recorder writes in front of a WebM part, rebuilt from the
 * stream's init segment (MediaRecorder's head has an unknown-size Segment
 * and no Duration, Cues or SeekHead). Pure.
 *
 * Layout: EBML header (copied) | Segment, 8-byte unknown size | SeekHead
 * with three 21-byte slots (Info, Tracks, and a Void kept for Cues) | Info
 * (the stream's children minus Duration, plus an 11-byte Void where Duration
 * goes) | Tracks (copied). Clusters follow as received. `finishWebm()` fills
 * the slots in place; the head never changes length.
 */
import { ElementHeader, Id, readElementHeader, UNKNOWN_SIZE } from "../media/ebml.ts";
import { forEachChild, readTimestampScale, readTracks } from "../media/matroska.ts";
import { MediaError } from "../media/segment.ts";
import {
  concatBytes,
  element,
  idBytes,
  uint8Element,
  UNKNOWN_SIZE_8,
  voidElement,
} from "./ebml_writer.ts";

export const SEEK_ID = 0x4dbb;
export const SEEK_ID_ID = 0x53ab;
export const SEEK_POSITION = 0x53ac;
export const DURATION = 0x4489;
/** Bytes of one Seek entry with a 4-byte SeekID and an 8-byte SeekPosition. */
export const SEEK_SLOT = 21;
/** Bytes of a Duration element with an 8-byte float. */
export const DURATION_SLOT = 11;

/** Where the patchable parts of a written head are (file positions). */
export interface WebmLayout {
  /** Position of the Segment's 8-byte size vint. */
  segmentSizeAt: number;
  /** First byte of the Segment's body: SeekPosition and CueClusterPosition count from here. */
  dataStart: number;
  /** The Void slot that becomes the Cues Seek entry. */
  cuesSeekAt: number;
  /** The Void slot inside Info that becomes Duration. */
  durationAt: number;
  /** Milliseconds per Matroska tick (TimestampScale / 1e6). */
  msPerTick: number;
  /** Video track numbers: a cluster is a cue point when its first video block is a keyframe. */
  videoTracks: number[];
  /** The track CuePoints name: the first video track, else the first track. */
  cueTrack: number;
}

export interface WebmHead {
  bytes: Uint8Array;
  layout: WebmLayout;
}

/** Builds the head for an init segment (EBML header + Segment head). Throws MediaError. */
export function buildWebmHead(init: Uint8Array): WebmHead {
  const h = new ElementHeader();
  let pos = 0;
  let ebml: Uint8Array | null = null;
  let info: Uint8Array | null = null;
  let tracks: Uint8Array | null = null;
  let msPerTick = 1;
  let videoTracks: number[] = [];
  let cueTrack = 1;
  let inSegment = false;
  while (pos < init.length) {
    const headerLength = readElementHeader(init, pos, init.length, pos, h);
    if (headerLength === 0) throw new MediaError(`WebM init segment cut short at byte ${pos}`);
    if (h.id === Id.Segment && !inSegment) {
      inSegment = true;
      pos += headerLength;
      continue;
    }
    if (h.size === UNKNOWN_SIZE || pos + headerLength + h.size > init.length) {
      throw new MediaError(`WebM init segment: element at byte ${pos} overruns it`);
    }
    const body = pos + headerLength;
    const end = body + h.size;
    if (h.id === Id.EBML && !inSegment) ebml = init.subarray(pos, end);
    else if (h.id === Id.Info) {
      msPerTick = readTimestampScale(init, body, end, body) / 1e6;
      info = rebuildInfo(init, body, end);
    } else if (h.id === Id.Tracks) {
      tracks = init.subarray(pos, end);
      const found = readTracks(init, body, end, body);
      videoTracks = found.filter((t) => t.kind === "video").map((t) => t.number);
      cueTrack = videoTracks[0] ?? found[0]?.number ?? 1;
    }
    pos = end;
  }
  if (!ebml || !tracks) throw new MediaError("WebM init segment without EBML header or Tracks");
  const infoBytes = info ?? element(Id.Info, voidElement(DURATION_SLOT));
  const seekHeadLength = 4 + 1 + 3 * SEEK_SLOT;
  const seekHead = concatBytes([
    idBytes(Id.SeekHead),
    new Uint8Array([0x80 | (3 * SEEK_SLOT)]),
    seekEntry(Id.Info, seekHeadLength),
    seekEntry(Id.Tracks, seekHeadLength + infoBytes.length),
    voidElement(SEEK_SLOT),
  ]);
  const segmentAt = ebml.length;
  const bytes = concatBytes([
    ebml,
    idBytes(Id.Segment),
    UNKNOWN_SIZE_8,
    seekHead,
    infoBytes,
    tracks,
  ]);
  const dataStart = segmentAt + 4 + 8;
  return {
    bytes,
    layout: {
      segmentSizeAt: segmentAt + 4,
      dataStart,
      cuesSeekAt: dataStart + 4 + 1 + 2 * SEEK_SLOT,
      durationAt: dataStart + seekHeadLength + infoBytes.length - DURATION_SLOT,
      msPerTick,
      videoTracks,
      cueTrack,
    },
  };
}

/** A Seek entry of exactly SEEK_SLOT bytes. */
export function seekEntry(id: number, position: number): Uint8Array {
  return element(SEEK_ID, element(SEEK_ID_ID, idBytes(id)), uint8Element(SEEK_POSITION, position));
}

/** Info's children minus Duration and Void, then a Void slot for Duration (last, so its place is known). */
function rebuildInfo(bytes: Uint8Array, body: number, end: number): Uint8Array {
  const kept: Uint8Array[] = [];
  let at = body;
  forEachChild(bytes, body, end, body, (id, childBody, size) => {
    const childEnd = childBody + size;
    if (id !== DURATION && id !== Id.Void) kept.push(bytes.subarray(at, childEnd));
    at = childEnd;
  });
  kept.push(voidElement(DURATION_SLOT));
  return element(Id.Info, ...kept);
}

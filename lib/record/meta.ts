/**
 * What a recording is, as stored in `<dataDir>/recordings/<id>/meta.json`
 * (see docs/recording.md), with ids, the key hash and atomic writes.
 */
import { createHash } from "node:crypto";
import { base64url, constantTimeEqual, cryptoRandom, type RandomSource } from "../hub/secret.ts";

export const META_FILE = "meta.json";
export const EVENTS_FILE = "events.jsonl";

export interface PartMeta {
  track: string;
  /** File name in the recording's directory, e.g. "camera-2.webm". */
  file: string;
  mime: string;
  /** Where the part's media time 0 sits on the recording's timeline, ms. */
  offsetMs: number;
  /** The part's media end time (its Duration), ms. */
  durationMs: number;
  bytes: number;
}

export interface RecordingMeta {
  version: 1;
  id: string;
  roomId: string;
  title: string;
  /** Unix ms of timeline 0. */
  startedAt: number;
  /** Unix ms; null while recording. */
  endedAt: number | null;
  live: boolean;
  unlisted: boolean;
  /** SHA-256 (hex) of the room key. */
  keyHash: string;
  durationMs: number;
  parts: PartMeta[];
  /** Why recording stopped early, or null. */
  error: string | null;
}

/** A recording id: 128 random bits as 22 base64url characters. */
export function newRecordingId(random: RandomSource = cryptoRandom): string {
  return base64url(random(new Uint8Array(16)));
}

/** Ids as `newRecordingId()` makes them; anything else is not looked up on disk. */
export const RECORDING_ID = /^[A-Za-z0-9_-]{22}$/;

/** The stored form of a room key: its SHA-256 in hex (keys have 144 random bits). */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** True when `key` is the key whose hash is `keyHash`. */
export function checkKeyHash(key: string, keyHash: string): boolean {
  return keyHash !== "" && constantTimeEqual(hashKey(key), keyHash);
}

/** The recording's length: the end of its latest part on the timeline. */
export function timelineEnd(parts: readonly PartMeta[]): number {
  let end = 0;
  for (const p of parts) end = Math.max(end, p.offsetMs + p.durationMs);
  return Math.round(end);
}

/** Writes meta.json atomically (a temporary file renamed over it). */
export async function writeMeta(dir: string, meta: RecordingMeta): Promise<void> {
  const tmp = `${dir}/${META_FILE}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(meta, null, 2) + "\n");
  await Deno.rename(tmp, `${dir}/${META_FILE}`);
}

/** Reads meta.json; null when missing or not a recording's meta. */
export async function readMeta(dir: string): Promise<RecordingMeta | null> {
  try {
    const meta = JSON.parse(await Deno.readTextFile(`${dir}/${META_FILE}`));
    if (meta?.version !== 1 || typeof meta.id !== "string" || !Array.isArray(meta.parts)) {
      return null;
    }
    return meta as RecordingMeta;
  } catch {
    return null;
  }
}

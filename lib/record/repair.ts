/**
 * Bringing recordings left "live" by a crash (`kill -9`, power loss) back
 * to finished ones, on startup before anything is served: each WebM part is
 * scanned from its head, a partial trailing element is cut off and the part
 * is finished as usual (Cues, Duration, sizes); an MP4 part loses a partial
 * trailing fragment; a partial last line of events.jsonl is dropped; meta.json
 * gets the true sizes and durations. What was written before the crash is
 * kept: at most the last 2 s (the sync interval) can be lost.
 */
import { ElementHeader, Id, readElementHeader, UNKNOWN_SIZE } from "../media/ebml.ts";
import type { Logger } from "../log.ts";
import { ClusterIndex } from "./cluster_index.ts";
import {
  EVENTS_FILE,
  type PartMeta,
  readMeta,
  type RecordingMeta,
  timelineEnd,
  writeMeta,
} from "./meta.ts";
import { buildWebmHead } from "./webm_head.ts";
import { finishWebm, patchable } from "./webm_finish.ts";
import { remuxToMp4 } from "./mp4_remux.ts";

const CHUNK = 4 * 1024 * 1024;

/** Repairs every recording under `root` still marked live; returns the ids repaired. */
export async function repairAll(root: string, log: Logger): Promise<string[]> {
  const repaired: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(root)];
  } catch {
    return repaired;
  }
  for (const entry of entries) {
    if (!entry.isDirectory) continue;
    const dir = `${root}/${entry.name}`;
    const meta = await readMeta(dir);
    if (!meta?.live) continue;
    try {
      await repairRecording(dir, meta);
      repaired.push(meta.id);
      log.info(`recording ${meta.id} repaired after a crash: lost at most the last 2 s`);
    } catch (err) {
      log.error(`recording ${meta.id} could not be repaired: ${(err as Error).message}`);
    }
  }
  return repaired;
}

/** Repairs one recording in place and marks it finished. */
export async function repairRecording(dir: string, meta: RecordingMeta): Promise<RecordingMeta> {
  const parts: PartMeta[] = [];
  for (const part of meta.parts) {
    const path = `${dir}/${part.file}`;
    let fixed = part.file.endsWith(".webm")
      ? await repairWebm(path)
      : await repairMp4(path, part.durationMs);
    if (fixed && part.file.endsWith(".mp4")) {
      await Deno.remove(`${path}.remux`).catch(() => {}); // a remux the crash interrupted
      // Else it stays fragmented, still playable.
      fixed = await remuxToMp4(path).then(
        ({ bytes, durationMs }) => ({ bytes, durationMs }),
        () => fixed,
      );
    }
    if (fixed) parts.push({ ...part, ...fixed });
    else await Deno.remove(path).catch(() => {});
  }
  if (parts.length === 0) {
    // Nothing was recorded before the crash: there is no lesson to keep.
    await Deno.remove(dir, { recursive: true });
    return { ...meta, parts, live: false };
  }
  await repairEvents(`${dir}/${EVENTS_FILE}`);
  meta.parts = parts;
  meta.durationMs = timelineEnd(parts);
  meta.live = false;
  meta.endedAt = meta.startedAt + meta.durationMs;
  await writeMeta(dir, meta);
  return meta;
}

/** Cuts a partial trailing element and finishes a WebM part; null when even its head is missing. */
export async function repairWebm(
  path: string,
): Promise<{ bytes: number; durationMs: number } | null> {
  using file = await Deno.open(path, { read: true, write: true });
  const size = (await file.stat()).size;
  const prefix = await readAt(file, 0, Math.min(size, 16 * 1024 * 1024));
  const headLength = headEnd(prefix);
  if (headLength < 0) return null;
  const head = buildWebmHead(prefix.subarray(0, headLength));
  const index = new ClusterIndex(head.layout, headLength);
  let pos = headLength;
  let want = CHUNK;
  while (pos < size && !index.stopped) {
    const chunk = await readAt(file, pos, Math.min(want, size - pos));
    const used = index.scan(chunk, pos);
    if (used === 0) {
      if (chunk.length < want || want >= 64 * CHUNK) break; // a partial element at the end
      want *= 2; // an element larger than the chunk
      continue;
    }
    pos += used;
    want = CHUNK;
  }
  const bytes = await finishWebm(patchable(file), head.layout, index);
  return { bytes, durationMs: Math.round(index.durationMs) };
}

/** The length of the recorder's head (EBML header + Segment head) in `bytes`, or -1. */
function headEnd(bytes: Uint8Array): number {
  const h = new ElementHeader();
  let pos = 0;
  while (pos < bytes.length) {
    const n = readElementHeader(bytes, pos, bytes.length, pos, h);
    if (n === 0) return -1;
    if (h.id === Id.Cluster) return pos;
    if (h.id === Id.Segment) {
      pos += n;
      continue;
    }
    if (h.size === UNKNOWN_SIZE) return -1;
    pos += n + h.size;
  }
  return -1;
}

/** Cuts a partial trailing box (or a moof without its mdat) off a fragmented MP4 part. */
export async function repairMp4(
  path: string,
  durationMs: number,
): Promise<{ bytes: number; durationMs: number } | null> {
  using file = await Deno.open(path, { read: true, write: true });
  const size = (await file.stat()).size;
  let pos = 0;
  let complete = 0;
  let sawMoov = false;
  while (pos + 8 <= size) {
    const header = await readAt(file, pos, 16);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    let boxSize = view.getUint32(0);
    const type = String.fromCharCode(...header.subarray(4, 8));
    if (boxSize === 1 && header.length >= 16) boxSize = Number(view.getBigUint64(8));
    if (boxSize < 8 || pos + boxSize > size) break;
    pos += boxSize;
    if (type === "moov") sawMoov = true;
    if (type !== "moof") complete = pos; // a fragment is whole once its mdat is
  }
  if (!sawMoov) return null;
  await file.truncate(complete);
  await file.syncData();
  return { bytes: complete, durationMs };
}

/** Drops a partial last line of the event log. */
async function repairEvents(path: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch {
    return;
  }
  const end = bytes.lastIndexOf(0x0a) + 1;
  if (end < bytes.length) await Deno.truncate(path, end);
}

async function readAt(file: Deno.FsFile, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  await file.seek(position, Deno.SeekMode.Start);
  let at = 0;
  while (at < length) {
    const n = await file.read(out.subarray(at));
    if (n === null) break;
    at += n;
  }
  return out.subarray(0, at);
}

/**
 * Which recordings to delete: those finished more than `keepDays` ago, then
 * the oldest while all together take more than `maxBytes`. A recording in
 * progress is never deleted. `chooseExpired()` is pure; `applyRetention()`
 * reads the recordings directory and deletes.
 */
import type { Logger } from "../log.ts";
import { readMeta } from "./meta.ts";

export interface RetentionLimits {
  /** 0: no age limit. */
  keepDays: number;
  /** 0: no size limit. */
  maxBytes: number;
}

export interface StoredRecording {
  id: string;
  /** Unix ms. */
  startedAt: number;
  /** Unix ms, or null while recording. */
  endedAt: number | null;
  bytes: number;
}

const DAY_MS = 86_400_000;

/** Ids to delete, oldest first. */
export function chooseExpired(
  recordings: readonly StoredRecording[],
  limits: RetentionLimits,
  now: number,
): string[] {
  const oldestFirst = [...recordings].sort((a, b) => a.startedAt - b.startedAt);
  const doomed = new Set<string>();
  if (limits.keepDays > 0) {
    for (const r of oldestFirst) {
      if (r.endedAt !== null && now - r.endedAt > limits.keepDays * DAY_MS) doomed.add(r.id);
    }
  }
  if (limits.maxBytes > 0) {
    let total = 0;
    for (const r of oldestFirst) if (!doomed.has(r.id)) total += r.bytes;
    for (const r of oldestFirst) {
      if (total <= limits.maxBytes) break;
      if (doomed.has(r.id) || r.endedAt === null) continue;
      doomed.add(r.id);
      total -= r.bytes;
    }
  }
  return oldestFirst.filter((r) => doomed.has(r.id)).map((r) => r.id);
}

/** Total bytes of the files in a recording's directory. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) total += (await Deno.stat(`${dir}/${entry.name}`)).size;
  }
  return total;
}

/** Deletes what `chooseExpired()` picks under `root`; returns the deleted ids. */
export async function applyRetention(
  root: string,
  limits: RetentionLimits,
  now: number,
  log: Logger,
): Promise<string[]> {
  if (limits.keepDays <= 0 && limits.maxBytes <= 0) return [];
  const stored: StoredRecording[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      if (!entry.isDirectory) continue;
      const dir = `${root}/${entry.name}`;
      const meta = await readMeta(dir);
      if (!meta || meta.id !== entry.name) continue;
      const endedAt = meta.live ? null : meta.endedAt ?? meta.startedAt;
      stored.push({
        id: meta.id,
        startedAt: meta.startedAt,
        endedAt,
        bytes: await directoryBytes(dir),
      });
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  const doomed = chooseExpired(stored, limits, now);
  for (const id of doomed) {
    await Deno.remove(`${root}/${id}`, { recursive: true });
    log.info(`recording ${id} deleted by the retention limits`);
  }
  return doomed;
}

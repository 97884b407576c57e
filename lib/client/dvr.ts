/**
 * The DVR of the live viewer, DOM-free: how far the lesson has gone (the live
 * edge on the recording's timeline), what counts as "at the live edge", and
 * the recording made playable while it grows.
 *
 * The server keeps the last 30 s of each track in memory for live viewers;
 * everything a rewound viewer sees comes from the recording on disk, which is
 * flushed at least every 2 s. So the edge of what can be replayed trails the
 * live edge by `DISK_LAG_MS`, and a rewind closer than that is a return to live.
 */
import type { RecordingInfo } from "../replay/recording.ts";

/** How far behind live the recording on disk may be (flush interval plus margin). */
export const DISK_LAG_MS = 3000;

/** The lesson's length so far, from the API's figure and the time since it was read. */
export class DvrWindow {
  #durationMs = 0;
  #at: number;
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.#at = now();
  }

  #growing = true;

  /**
   * Takes a fresh `durationSeconds` from `GET /api/recordings/:id`; `growing`
   * is its `live`: a finished recording's edge stays where it ended.
   */
  update(durationMs: number, growing = true): void {
    this.#durationMs = durationMs;
    this.#growing = growing;
    this.#at = this.#now();
  }

  /** The live edge, ms on the recording's timeline. */
  get edgeMs(): number {
    return this.#durationMs + (this.#growing ? Math.max(0, this.#now() - this.#at) : 0);
  }

  /** The latest point the recording on disk surely holds (all of it once finished). */
  get replayableMs(): number {
    return Math.max(0, this.edgeMs - (this.#growing ? DISK_LAG_MS : 0));
  }

  /** True when a rewind to `ms` is as good as live. */
  atEdge(ms: number): boolean {
    return ms >= this.replayableMs;
  }
}

/**
 * A recording in progress made playable: the last part of each track has no
 * known end yet (its file grows), so it runs on until the next part.
 */
export function openEnded(rec: RecordingInfo): RecordingInfo {
  return {
    ...rec,
    tracks: rec.tracks.map((t) => ({
      ...t,
      parts: t.parts.map((p, i) => i === t.parts.length - 1 ? { ...p, durationMs: 0 } : p),
    })),
  };
}

/** A part URL with a version, so a reload reads the grown file rather than a cached one. */
export function versioned(url: string, version: number): string {
  return version === 0 ? url : `${url}${url.includes("?") ? "&" : "?"}v=${version}`;
}

/**
 * When to reopen the files of a recording in progress that ran out: at once
 * the first time, then after 0.5, 1, 2… up to 8 s while the same track keeps
 * running out (a whiteboard that does not change sends no frames, so its file
 * does not grow: reopening it every tick would only load it again and again).
 * A track that plays again starts afresh.
 */
export class ReloadPolicy {
  readonly #next = new Map<string, { at: number; delay: number }>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** The tracks to reopen now, given those that ran out (`status.exhausted`). */
  due(exhausted: readonly string[]): string[] {
    const now = this.#now();
    for (const track of [...this.#next.keys()]) {
      if (!exhausted.includes(track)) this.#next.delete(track);
    }
    const out: string[] = [];
    for (const track of exhausted) {
      const state = this.#next.get(track);
      if (state && now < state.at) continue;
      const delay = state ? Math.min(state.delay * 2, 8000) : 500;
      this.#next.set(track, { at: now + delay, delay });
      out.push(track);
    }
    return out;
  }
}

import type { Logger } from "../log.ts";

/** How often a room may log that its viewers skipped data. */
export const SKIP_LOG_INTERVAL_MS = 1000;

/**
 * Counts what the slow viewers of one room skipped and logs it as one line at
 * most once a second: a thousand viewers falling behind together (the
 * server's own uplink is full) make one line a second, not a thousand. Pure:
 * the subscribers call `note()` when they skip and `flush()` when they pump,
 * with their injected clock.
 */
export class SkipLog {
  #skipped = 0;
  #viewers = new Set<object>();
  #example = "";
  #lastLog = -Infinity;

  constructor(
    /** Names the room in the line, e.g. "room Ab3x". */
    readonly scope: string,
    readonly log: Pick<Logger, "warn">,
  ) {}

  /** `viewer` skipped `count` segments or messages; logged now if the last line is old enough. */
  note(viewer: object, label: string, count: number, now: number): void {
    if (count <= 0) return;
    this.#skipped += count;
    this.#viewers.add(viewer);
    this.#example ||= label;
    this.flush(now);
  }

  /** Writes the pending count if a second has passed since the last line. */
  flush(now: number): void {
    if (this.#skipped === 0 || now - this.#lastLog < SKIP_LOG_INTERVAL_MS) return;
    const n = this.#viewers.size;
    this.log.warn(
      `${this.scope}: ${n} ${n === 1 ? "viewer" : "viewers"} too slow, skipped ${this.#skipped} ` +
        `segments (${this.#example}${n > 1 ? " and others" : ""})`,
    );
    this.#skipped = 0;
    this.#viewers.clear();
    this.#example = "";
    this.#lastLog = now;
  }
}

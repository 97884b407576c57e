/**
 * Reading a recording's events.jsonl: one JSON object per line, `{t, type,
 * ...fields}`. Lines that are not such an object (a partial last line left
 * by a crash) are skipped. Sorted by `t` (stable).
 */
import { EVENTS_FILE } from "./meta.ts";

export interface RecordedEvent {
  /** Ms on the recording's timeline. */
  t: number;
  type: string;
  [field: string]: unknown;
}

export function parseEvents(text: string): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const event = JSON.parse(line);
      if (typeof event?.t === "number" && typeof event.type === "string") out.push(event);
    } catch {
      // a partial line: skipped
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

export async function readEvents(dir: string): Promise<RecordedEvent[]> {
  try {
    return parseEvents(await Deno.readTextFile(`${dir}/${EVENTS_FILE}`));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
}

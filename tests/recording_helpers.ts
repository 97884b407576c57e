/** Helpers for the recording tests: polling a condition, JSON GETs, waiting for a finished recording. */
import type { RecordingView } from "../lib/record/recording_view.ts";

/** Polls `check` (a condition, not a clock) until it returns a value. */
export async function until<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return await res.json();
}

export async function finished(origin: string, id: string): Promise<RecordingView> {
  return await until(async () => {
    const view = await getJson<RecordingView>(`${origin}/api/recordings/${id}`);
    return view.live ? null : view;
  }, `recording ${id} to finish`);
}

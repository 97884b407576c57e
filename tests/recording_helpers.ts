/** Helpers for the recording tests: polling a condition, JSON GETs, waiting for a finished recording. */
import type { RecordingView } from "../lib/record/recording_view.ts";
import { EVENTS_FILE, hashKey, type RecordingMeta, writeMeta } from "../lib/record/meta.ts";

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

/**
 * A finished 60 s audio recording `id` under `<dataDir>/recordings`, as the recorder leaves one
 * (key "k", title its id): an audio file of `bytes` zero bytes and, given `events`, an event log.
 */
export async function storedRecording(
  dataDir: string,
  id: string,
  options: { startedAt: number; bytes: number; events?: Record<string, unknown>[] },
): Promise<void> {
  const { startedAt, bytes } = options;
  const dir = `${dataDir}/recordings/${id}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeFile(`${dir}/audio.webm`, new Uint8Array(bytes));
  const meta: RecordingMeta = {
    version: 1,
    id,
    roomId: "abcdefghijkl",
    title: id,
    startedAt,
    endedAt: startedAt + 60_000,
    live: false,
    unlisted: false,
    keyHash: hashKey("k"),
    durationMs: 60_000,
    parts: [{
      track: "audio",
      file: "audio.webm",
      mime: "audio/webm",
      offsetMs: 0,
      durationMs: 60_000,
      bytes,
    }],
    error: null,
  };
  await writeMeta(dir, meta);
  if (options.events) {
    const lines = options.events.map((e) => JSON.stringify(e) + "\n").join("");
    await Deno.writeTextFile(`${dir}/${EVENTS_FILE}`, lines);
  }
}

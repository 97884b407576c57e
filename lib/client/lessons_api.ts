/**
 * The recorded lessons over the REST API (docs/recording.md): the listed ones
 * for the home page, a room's own (with its key, unlisted ones too) for the
 * studio, and deleting one with the room key. `fetch` is passed in so tests
 * use a fake.
 */
import { parseRecordingList, type RecordingInfo } from "../replay/recording.ts";

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Recent listed lessons (or a room's, with its key: unlisted ones too), newest first. */
export async function listLessons(
  fetch: Fetch,
  room?: { id: string; key?: string },
): Promise<RecordingInfo[]> {
  const url = room ? `/api/recordings?room=${encodeURIComponent(room.id)}` : "/api/recordings";
  const res = await fetch(url, {
    cache: "no-store",
    headers: room?.key ? { authorization: `Bearer ${room.key}` } : {},
  });
  if (!res.ok) {
    await res.body?.cancel();
    return [];
  }
  const lessons = parseRecordingList(await res.json());
  return room ? lessons.filter((l) => l.roomId === room.id || l.roomId === "") : lessons;
}

/** Deletes a lesson; the error message says what went wrong, null when it is gone. */
export async function deleteLesson(fetch: Fetch, id: string, key: string): Promise<string | null> {
  try {
    const res = await fetch(`/api/recordings/${encodeURIComponent(id)}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}` },
    });
    if (res.ok || res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    const body = await res.json().catch(() => null);
    return typeof body?.error === "string" ? body.error : `The server said ${res.status}.`;
  } catch {
    return "Could not reach the server; try again.";
  }
}

/**
 * The studio's room: created through `POST /api/rooms`, remembered in
 * localStorage so a reload or a reopened tab comes back to the same room and
 * link, renamed with `PATCH /api/rooms/:id` (Bearer key). `fetch` and the
 * storage are passed in, so tests use fakes.
 */

/** What the studio keeps about its room. The key never leaves this browser but for the API. */
export interface RoomCredentials {
  id: string;
  key: string;
  viewerUrl: string;
  title: string;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;
type Storage = Pick<globalThis.Storage, "getItem" | "setItem" | "removeItem">;

export const STORAGE_KEY = "chalkcast.studio.room";

/** A failed API call, with a message for the presenter. */
export class RoomApiError extends Error {
  override name = "RoomApiError";
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** Creates a room; the server answers 201 {id, key, viewerUrl, studioUrl}. */
export async function createRoom(fetch: Fetch, title: string): Promise<RoomCredentials> {
  const res = await fetch("/api/rooms", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(title ? { title } : {}),
  });
  if (res.status !== 201 && res.status !== 200) {
    const text = await res.text().catch(() => "");
    throw new RoomApiError(`Could not create a room (${res.status}). ${text}`.trim(), res.status);
  }
  const body = await res.json();
  if (typeof body?.id !== "string" || typeof body?.key !== "string") {
    throw new RoomApiError("The server answered without a room id and key.", res.status);
  }
  return {
    id: body.id,
    key: body.key,
    viewerUrl: typeof body.viewerUrl === "string" ? body.viewerUrl : `/s/${body.id}`,
    title: typeof body.title === "string" ? body.title : title,
  };
}

/** True when the room exists, false on 404, null when the server could not say. */
export async function roomExists(fetch: Fetch, id: string): Promise<boolean | null> {
  try {
    const res = await fetch(`/api/rooms/${encodeURIComponent(id)}`);
    await res.body?.cancel();
    if (res.status === 404) return false;
    return res.ok ? true : null;
  } catch {
    return null;
  }
}

/** Renames the room; false when the server does not support it (404/405) or refused. */
export async function renameRoom(fetch: Fetch, room: RoomCredentials, title: string) {
  try {
    const res = await fetch(`/api/rooms/${encodeURIComponent(room.id)}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${room.key}` },
      body: JSON.stringify({ title }),
    });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

export function loadRoom(storage: Storage): RoomCredentials | null {
  try {
    const o = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null");
    if (typeof o?.id !== "string" || typeof o?.key !== "string") return null;
    return {
      id: o.id,
      key: o.key,
      viewerUrl: typeof o.viewerUrl === "string" ? o.viewerUrl : `/s/${o.id}`,
      title: typeof o.title === "string" ? o.title : "",
    };
  } catch {
    return null;
  }
}

export function saveRoom(storage: Storage, room: RoomCredentials): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(room));
}

/**
 * The room in a studio link (`/studio#room=ID&key=KEY`, the `studioUrl` of
 * POST /api/rooms): the key travels in the fragment, which browsers never
 * send to a server. Null when the fragment names no room.
 */
export function roomFromLink(hash: string): { id: string; key: string } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const id = params.get("room");
  const key = params.get("key");
  if (!id || !key || !/^[A-Za-z0-9_-]{1,64}$/.test(id) || !/^[A-Za-z0-9_-]{1,128}$/.test(key)) {
    return null;
  }
  return { id, key };
}

/**
 * Opens the room of a studio link on this device and remembers it here.
 * RoomApiError when the server no longer has it.
 */
export async function adoptRoom(
  fetch: Fetch,
  storage: Storage,
  link: { id: string; key: string },
): Promise<RoomCredentials> {
  const res = await fetch(`/api/rooms/${encodeURIComponent(link.id)}`);
  if (res.status === 404) {
    await res.body?.cancel();
    throw new RoomApiError(
      "The room in this studio link has ended or expired; a new room was opened instead.",
      404,
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new RoomApiError(`Could not open the room of this link (${res.status}).`, res.status);
  }
  const body = await res.json();
  const room: RoomCredentials = {
    id: link.id,
    key: link.key,
    viewerUrl: typeof body?.viewerUrl === "string" ? body.viewerUrl : `/s/${link.id}`,
    title: typeof body?.title === "string" ? body.title : "",
  };
  saveRoom(storage, room);
  return room;
}

/** The studio's room: the remembered one if the server still knows it, else a new one. */
export async function ensureRoom(
  fetch: Fetch,
  storage: Storage,
  title: string,
): Promise<RoomCredentials> {
  const known = loadRoom(storage);
  if (known && (await roomExists(fetch, known.id)) !== false) return known;
  const room = await createRoom(fetch, known?.title || title);
  saveRoom(storage, room);
  return room;
}

import assert from "node:assert/strict";
import {
  adoptRoom,
  ensureRoom,
  loadRoom,
  renameRoom,
  roomFromLink,
  saveRoom,
  STORAGE_KEY,
} from "./rooms_api.ts";

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

function fakeApi(known: Set<string>) {
  const calls: string[] = [];
  let n = 0;
  const fetch = (url: string, init?: RequestInit) => {
    calls.push(`${init?.method ?? "GET"} ${url}`);
    if (init?.method === "POST") {
      const id = `room${++n}`;
      known.add(id);
      return Promise.resolve(
        Response.json({ id, key: `key${n}`, viewerUrl: `http://h/s/${id}`, studioUrl: "/studio" }, {
          status: 201,
        }),
      );
    }
    if (init?.method === "PATCH") return Promise.resolve(new Response(null, { status: 405 }));
    const id = url.split("/").pop()!;
    return Promise.resolve(new Response("{}", { status: known.has(id) ? 200 : 404 }));
  };
  return { fetch, calls };
}

Deno.test("ensureRoom() creates a room on first visit and remembers it", async () => {
  const storage = memoryStorage();
  const api = fakeApi(new Set());
  const room = await ensureRoom(api.fetch, storage, "Maths");
  assert.deepEqual(room, {
    id: "room1",
    key: "key1",
    viewerUrl: "http://h/s/room1",
    title: "Maths",
  });
  assert.deepEqual(loadRoom(storage), room);
  assert.deepEqual(await ensureRoom(api.fetch, storage, "Maths"), room);
  assert.deepEqual(api.calls, ["POST /api/rooms", "GET /api/rooms/room1"]);
});

Deno.test("ensureRoom() replaces a remembered room the server no longer knows", async () => {
  const storage = memoryStorage();
  saveRoom(storage, { id: "gone", key: "k", viewerUrl: "/s/gone", title: "Old title" });
  const api = fakeApi(new Set());
  const room = await ensureRoom(api.fetch, storage, "");
  assert.equal(room.id, "room1");
  assert.equal(room.title, "Old title");
});

Deno.test("loadRoom() ignores damaged storage", () => {
  const storage = memoryStorage();
  storage.setItem(STORAGE_KEY, "{not json");
  assert.equal(loadRoom(storage), null);
});

Deno.test("renameRoom() returns false when the server cannot rename yet", async () => {
  const api = fakeApi(new Set());
  const room = { id: "a", key: "k", viewerUrl: "/s/a", title: "" };
  assert.equal(await renameRoom(api.fetch, room, "New"), false);
});

Deno.test("roomFromLink() reads the studioUrl fragment and ignores anything else", () => {
  assert.deepEqual(roomFromLink("#room=abc_DEF-1&key=k3y"), { id: "abc_DEF-1", key: "k3y" });
  assert.equal(roomFromLink(""), null);
  assert.equal(roomFromLink("#room=abc"), null);
  assert.equal(roomFromLink("#room=a%2Fb&key=k"), null);
});

Deno.test("adoptRoom() opens the linked room on this device and remembers it; an ended one is an error", async () => {
  const storage = memoryStorage();
  saveRoom(storage, { id: "old", key: "oldkey", viewerUrl: "/s/old", title: "Old" });
  const fetch = (url: string) =>
    Promise.resolve(
      url === "/api/rooms/abc"
        ? Response.json({ id: "abc", title: "Physics", viewerUrl: "http://h/s/abc" })
        : new Response("{}", { status: 404 }),
    );
  const room = await adoptRoom(fetch, storage, { id: "abc", key: "k" });
  assert.deepEqual(room, { id: "abc", key: "k", viewerUrl: "http://h/s/abc", title: "Physics" });
  assert.deepEqual(loadRoom(storage), room);
  await assert.rejects(
    adoptRoom(fetch, storage, { id: "gone", key: "k" }),
    /The room in this studio link has ended or expired/,
  );
  assert.deepEqual(loadRoom(storage), room);
});

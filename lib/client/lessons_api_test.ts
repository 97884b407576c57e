import assert from "node:assert/strict";
import { deleteLesson, listLessons } from "./lessons_api.ts";

function fakeFetch(answer: (url: string, init?: RequestInit) => Response) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const fetch = (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return Promise.resolve(answer(url, init));
  };
  return { fetch, calls };
}

Deno.test("listLessons() asks for a room's lessons with its key and keeps only that room's", async () => {
  const { fetch, calls } = fakeFetch(() =>
    Response.json([{ id: "a", roomId: "r1" }, { id: "b", roomId: "r2" }])
  );
  const lessons = await listLessons(fetch, { id: "r1", key: "K" });
  assert.deepEqual(lessons.map((l) => l.id), ["a"]);
  assert.equal(calls[0].url, "/api/recordings?room=r1");
  assert.deepEqual(calls[0].init?.headers, { authorization: "Bearer K" });
});

Deno.test("listLessons() gives an empty list when the server has none to give", async () => {
  const { fetch } = fakeFetch(() => new Response("no", { status: 404 }));
  assert.deepEqual(await listLessons(fetch), []);
});

Deno.test("deleteLesson() sends the key and reports the server's error", async () => {
  const ok = fakeFetch(() => new Response(null, { status: 204 }));
  assert.equal(await deleteLesson(ok.fetch, "a b", "K"), null);
  assert.equal(ok.calls[0].url, "/api/recordings/a%20b");
  assert.equal(ok.calls[0].init?.method, "DELETE");
  const refused = fakeFetch(() => Response.json({ error: "wrong key" }, { status: 401 }));
  assert.equal(await deleteLesson(refused.fetch, "a", "K"), "wrong key");
});

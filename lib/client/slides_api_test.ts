import assert from "node:assert/strict";
import { controlSlides, uploadDeck } from "./slides_api.ts";

function fakeServer(fail?: { at: number; status: number; error: string }) {
  const calls: string[] = [];
  const fetch = (url: string, init?: RequestInit) => {
    calls.push(
      `${init?.method ?? "GET"} ${url} ${new Headers(init?.headers).get("authorization")}`,
    );
    if (fail && calls.length === fail.at) {
      return Promise.resolve(Response.json({ error: fail.error }, { status: fail.status }));
    }
    if (init?.method === "POST" && url.endsWith("/slides")) {
      return Promise.resolve(Response.json({ deck: "D1", pages: 2 }, { status: 201 }));
    }
    if (url.endsWith("/current")) {
      return Promise.resolve(Response.json({ deck: "D1", index: 1, count: 2, renditions: [] }));
    }
    return Promise.resolve(Response.json({ complete: false }, { status: 201 }));
  };
  return { calls, fetch };
}

Deno.test("uploadDeck() creates the deck, then puts every page in every size, with the key", async () => {
  const server = fakeServer();
  const progress: string[] = [];
  const rendered: string[] = [];
  const deck = await uploadDeck({
    fetch: server.fetch,
    roomId: "r1",
    key: "K",
    pages: 2,
    render: (page, box) => {
      rendered.push(`${page}:${box.w}`);
      return Promise.resolve(new Blob([new Uint8Array([1])], { type: "image/webp" }));
    },
    onProgress: (done, total) => progress.push(`${done}/${total}`),
  });
  assert.equal(deck, "D1");
  assert.equal(server.calls[0], "POST /api/rooms/r1/slides Bearer K");
  assert.deepEqual(server.calls.slice(1, 5), [
    "PUT /api/rooms/r1/slides/D1/0/800x600 Bearer K",
    "PUT /api/rooms/r1/slides/D1/0/1024x768 Bearer K",
    "PUT /api/rooms/r1/slides/D1/0/1280x720 Bearer K",
    "PUT /api/rooms/r1/slides/D1/0/1920x1080 Bearer K",
  ]);
  assert.equal(server.calls.length, 9);
  assert.equal(rendered.length, 8);
  assert.deepEqual(progress.at(-1), "8/8");
});

Deno.test("uploadDeck() stops at the first refusal with the server's message", async () => {
  const server = fakeServer({ at: 3, status: 413, error: "a slide image is at most 2 MiB" });
  await assert.rejects(
    () =>
      uploadDeck({
        fetch: server.fetch,
        roomId: "r1",
        key: "K",
        pages: 2,
        render: () => Promise.resolve(new Blob([new Uint8Array([1])])),
      }),
    /at most 2 MiB/,
  );
  assert.equal(server.calls.length, 3);
});

Deno.test("controlSlides() posts the action and returns the slide shown", async () => {
  const server = fakeServer();
  const shown = await controlSlides(server.fetch, { id: "r1", key: "K" }, "next");
  assert.equal(shown.index, 1);
  assert.equal(server.calls[0], "POST /api/rooms/r1/slides/current Bearer K");
});

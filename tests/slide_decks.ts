/** Test helper: API calls and whole slide decks uploaded over real HTTP (docs/api.md "Slides"). */
import assert from "node:assert/strict";
import type { TestServer } from "./server.ts";
import { slideImage } from "./slide_images.ts";

/** Each rendition box with the size of a 16:9 page fitted into it. */
export const DECK_SIZES = [
  [800, 450, "800x600"],
  [1024, 576, "1024x768"],
  [1280, 720, "1280x720"],
  [
    1920,
    1080,
    "1920x1080",
  ],
] as const;

/** One API call; the JSON body parsed. */
export async function call(
  server: TestServer,
  method: string,
  path: string,
  options: { key?: string; body?: BodyInit; type?: string } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.type) headers["content-type"] = options.type;
  const res = await fetch(`${server.origin}${path}`, { method, headers, body: options.body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

/** Uploads a deck of `pages` pages (page n has images of `variant + n`, see slideImage); returns its id. */
export async function uploadDeck(
  server: TestServer,
  room: { id: string; key: string },
  pages: number,
  variant = 0,
): Promise<string> {
  const created = await call(server, "POST", `/api/rooms/${room.id}/slides`, {
    key: room.key,
    body: JSON.stringify({ pages }),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const deck = created.body.deck as string;
  for (let page = 0; page < pages; page++) {
    for (const [w, h, size] of DECK_SIZES) {
      const res = await call(
        server,
        "PUT",
        `/api/rooms/${room.id}/slides/${deck}/${page}/${size}`,
        {
          key: room.key,
          type: "image/webp",
          body: await slideImage(w, h, "webp", variant + page),
        },
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
  }
  return deck;
}

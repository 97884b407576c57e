/**
 * The studio's calls to the slide API (docs/api.md "Slides"): upload a deck
 * page by page, one image per rendition box, and move through it. Rendering
 * is injected (lib/client/slide_pages.ts does it with a canvas), so the
 * upload order, errors and progress are tested without a DOM.
 */
import type { SlideMessage } from "../protocol.ts";
import { type Box, boxName, RENDITION_BOXES } from "../slides/renditions.ts";

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export type CurrentSlide = Omit<SlideMessage, "type">;

export interface DeckUpload {
  fetch: Fetch;
  roomId: string;
  key: string;
  pages: number;
  /** Renders page `page` (0-based) fitted inside `box`: a WebP or JPEG blob. */
  render: (page: number, box: Box) => Promise<Blob>;
  /** After each stored image: how many of `total` are done. */
  onProgress?: (done: number, total: number) => void;
}

/** Uploads a deck; the server shows it from page 1 once the last image is in. Returns its id. */
export async function uploadDeck(o: DeckUpload): Promise<string> {
  // Called as a plain function: a browser's fetch refuses another `this`.
  const fetch = o.fetch;
  const base = `/api/rooms/${encodeURIComponent(o.roomId)}/slides`;
  const auth = { authorization: `Bearer ${o.key}` };
  const created = await json<{ deck: string }>(
    await fetch(base, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ pages: o.pages }),
    }),
  );
  const total = o.pages * RENDITION_BOXES.length;
  let done = 0;
  for (let page = 0; page < o.pages; page++) {
    for (const box of RENDITION_BOXES) {
      const blob = await o.render(page, box);
      await json(
        await fetch(`${base}/${created.deck}/${page}/${boxName(box)}`, {
          method: "PUT",
          headers: { ...auth, "content-type": blob.type || "application/octet-stream" },
          body: blob,
        }),
      );
      o.onProgress?.(++done, total);
    }
  }
  return created.deck;
}

/** Next, previous or goto (0-based index); the slide shown afterwards. */
export async function controlSlides(
  fetch: Fetch,
  room: { id: string; key: string },
  action: "next" | "previous" | "goto",
  index?: number,
): Promise<CurrentSlide> {
  return json(
    await fetch(`/api/rooms/${encodeURIComponent(room.id)}/slides/current`, {
      method: "POST",
      headers: { authorization: `Bearer ${room.key}`, "content-type": "application/json" },
      body: JSON.stringify(index === undefined ? { action } : { action, index }),
    }),
  );
}

/** The slide a room shows now. */
export async function currentSlide(fetch: Fetch, roomId: string): Promise<CurrentSlide> {
  return json(await fetch(`/api/rooms/${encodeURIComponent(roomId)}/slides/current`));
}

/** The JSON body of a 2xx, else an Error with the server's message. */
async function json<T = unknown>(res: Response): Promise<T> {
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error ?? `the server answered ${res.status}`);
  return body as T;
}

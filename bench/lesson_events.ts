/**
 * The presenter's side of a lesson without a browser, for load tests: a
 * 3-page deck uploaded over HTTP with the studio's own client code
 * (lib/client/slides_api.ts, real WebP images from ffmpeg), then, while it
 * runs, a 1 s stroke every 3 s on the publisher socket (the studio's
 * InkSender, its messages at the times it would send them) and a slide move
 * every 10 s (forward twice, back twice) over `POST …/slides/current`.
 */
import { InkSender } from "../lib/client/ink_sender.ts";
import { typicalStroke } from "../lib/ink/_testing.ts";
import { controlSlides, uploadDeck } from "../lib/client/slides_api.ts";
import { fitInside } from "../lib/slides/renditions.ts";
import type { ClientMessage } from "../lib/protocol.ts";
import { slideImage } from "../tests/slide_images.ts";

export interface LessonRoom {
  origin: string;
  id: string;
  key: string;
}

const STROKE_EVERY_MS = 3_000;
const SLIDE_EVERY_MS = 10_000;

/** Fetch against the server, as a page at `origin` would call it. */
const fetchAt = (origin: string) => (url: string, init?: RequestInit) =>
  fetch(new URL(url, origin), init);

/** Uploads a deck of `pages` 16:9 pages in every rendition; the room shows its first page. */
export async function uploadLessonDeck(room: LessonRoom, pages = 3): Promise<void> {
  await uploadDeck({
    fetch: fetchAt(room.origin),
    roomId: room.id,
    key: room.key,
    pages,
    render: async (_page, box) => {
      const { w, h } = fitInside({ w: 1280, h: 720 }, box);
      return new Blob([await slideImage(w, h, "webp")], { type: "image/webp" });
    },
  });
}

/** A 1 s stroke on page `slide` as the studio sends it: each message with its ms after pen-down. */
export function strokeMessages(slide: number, seed: number): { at: number; m: ClientMessage }[] {
  let t = 0;
  const out: { at: number; m: ClientMessage }[] = [];
  const sender = new InkSender({ now: () => t, send: (m) => (out.push({ at: t, m }), true) });
  const points = typicalStroke(1, seed);
  sender.begin(slide, "pen", "#c62828", 4, points[0]);
  for (const p of points.slice(1)) {
    t += 1000 / 60;
    sender.extend(p);
  }
  sender.end();
  return out;
}

/** Teaches in `room` until `stop()`: strokes through `send`, slide moves over HTTP. */
export function teach(room: LessonRoom, send: (m: ClientMessage) => void): { stop(): void } {
  const timers: ReturnType<typeof setTimeout>[] = [];
  let slide = 0, strokes = 0, moves = 0;
  timers.push(setInterval(() => {
    for (const { at, m } of strokeMessages(slide, strokes++)) {
      timers.push(setTimeout(() => send(m), at));
    }
  }, STROKE_EVERY_MS));
  timers.push(setInterval(async () => {
    const action = moves++ % 4 < 2 ? "next" : "previous";
    slide = (await controlSlides(fetchAt(room.origin), room, action)).index;
  }, SLIDE_EVERY_MS));
  return { stop: () => timers.forEach(clearTimeout) };
}

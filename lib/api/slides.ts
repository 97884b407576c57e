/**
 * The HTTP side of slides: reading an uploaded image body within the size
 * limit, the control body (`{"action": "next"|"previous"|"goto", "index"?}`),
 * and the answers (`slidesView` for `GET /api/rooms/:id` and the slide
 * routes, immutable image responses). docs/api.md "Slides".
 */
import { TooLargeError, UnsupportedMediaError, UserError } from "../errors.ts";
import { readCappedBody } from "./capped_body.ts";
import type { SlideMessage } from "../protocol.ts";
import type { SlideAction, SlideState } from "../slides/presentation.ts";
import { boxName, RENDITION_BOXES } from "../slides/renditions.ts";

const IMAGE_TYPES = ["", "image/webp", "image/jpeg", "application/octet-stream"];

/**
 * The body of a slide image upload, at most `maxBytes` (TooLargeError from
 * `tooLarge()` beyond it, by Content-Length and while reading); 415 for a
 * Content-Type that is not an image we keep, 400 when empty.
 */
export async function readImageBody(
  req: Request,
  maxBytes: number,
  tooLarge: () => TooLargeError,
): Promise<Uint8Array<ArrayBuffer>> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!IMAGE_TYPES.includes(type)) {
    await req.body?.cancel();
    throw new UnsupportedMediaError(
      `send a slide as image/webp or image/jpeg, not ${type.slice(0, 60)}`,
    );
  }
  const bytes = await readCappedBody(req, maxBytes, tooLarge);
  if (bytes.byteLength === 0) {
    throw new UserError("the slide image is empty; send a WebP or JPEG as the body");
  }
  return bytes;
}

/** The `{action, index}` of a control request; UserError naming what to send otherwise. */
export function slideControl(
  body: Record<string, unknown>,
): { action: SlideAction; index?: number } {
  const action = body.action;
  if (action !== "next" && action !== "previous" && action !== "goto") {
    throw new UserError(
      'send {"action": "next"}, {"action": "previous"} or {"action": "goto", "index": 0}',
    );
  }
  const index = body.index;
  if (action === "goto" && (typeof index !== "number" || !Number.isInteger(index))) {
    throw new UserError('goto needs a whole "index" (0 is the first slide)');
  }
  return action === "goto" ? { action, index: index as number } : { action };
}

/** What a room's slides look like in the API: the deck id, its page count, the page shown. */
export function slidesView(state: SlideState): SlideState {
  return { deck: state.deck, count: state.count, index: state.index };
}

/** The slide shown with its images: the answer of `GET`/`POST /api/rooms/:id/slides/current`. */
export function currentSlideView(message: SlideMessage): Omit<SlideMessage, "type"> {
  const { type: _, ...view } = message;
  return view;
}

/** The answer to creating a deck: where each page's renditions go. */
export function createdDeck(roomId: string, deck: { id: string; pages: unknown[] }) {
  return {
    deck: deck.id,
    pages: deck.pages.length,
    sizes: RENDITION_BOXES.map(boxName),
    uploadUrl: `/api/rooms/${roomId}/slides/${deck.id}/{page}/{size}`,
  };
}

/** A stored slide image: cached for a year, as its URL names its content. */
export function slideImageResponse(
  req: Request,
  image: { bytes: Uint8Array<ArrayBuffer>; type: string },
  etag: string,
): Response {
  const headers = new Headers({
    "content-type": image.type,
    "cache-control": "public, max-age=31536000, immutable",
    etag,
  });
  const inm = req.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim() === etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(image.bytes.byteLength));
  return new Response(req.method === "HEAD" ? null : image.bytes, { headers });
}

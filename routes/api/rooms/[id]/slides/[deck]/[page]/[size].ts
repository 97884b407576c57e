import type { Handlers } from "../../../../../../../lib/web/context.ts";
import { requireRoomKey } from "../../../../../../../lib/api/room_key.ts";
import { readImageBody } from "../../../../../../../lib/api/slides.ts";
import { UserError } from "../../../../../../../lib/errors.ts";

/**
 * One rendition of one page (WebP or JPEG body, key required). The upload
 * that completes the deck shows it from its first page and retires the
 * room's earlier decks.
 */
export const handler: Handlers = {
  async PUT(req, ctx) {
    const { hub, decks, slides, slideSweeper } = ctx.state;
    const room = hub.get(ctx.params.id);
    requireRoomKey(req, room);
    const page = Number(ctx.params.page);
    if (!/^\d{1,4}$/.test(ctx.params.page)) throw new UserError("the page is a number from 0");
    const deck = decks.get(room.id, ctx.params.deck);
    const bytes = await readImageBody(req, decks.limits.maxRenditionBytes, () => decks.tooLarge());
    const wasComplete = deck.complete;
    const { rendition } = await decks.put(room.id, deck.id, page, ctx.params.size, bytes);
    if (deck.complete && !wasComplete) {
      slides.for(room).show(deck);
      // The room's earlier decks are no longer shown: their images may go.
      decks.shown(deck);
      slideSweeper.sweep();
    }
    return Response.json({ ...rendition, complete: deck.complete }, { status: 201 });
  },
};

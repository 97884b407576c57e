import type { Handlers } from "../../../../../lib/web/context.ts";
import { requireRoomKey } from "../../../../../lib/api/room_key.ts";
import { readJsonObject } from "../../../../../lib/api/json_body.ts";
import { createdDeck, slidesView } from "../../../../../lib/api/slides.ts";

/** The room's slides (GET), or a new deck to upload page images into (POST, key required). */
export const handler: Handlers = {
  GET(_req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    return Response.json(slidesView(ctx.state.slides.for(room).state), {
      headers: { "cache-control": "no-store" },
    });
  },

  async POST(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    requireRoomKey(req, room);
    const body = await readJsonObject(req);
    const deck = ctx.state.decks.create(room.id, body.pages as number);
    return Response.json(createdDeck(room.id, deck), { status: 201 });
  },
};

import type { Handlers } from "../../../../../lib/web/context.ts";
import { requireRoomKey } from "../../../../../lib/api/room_key.ts";
import { readJsonObject } from "../../../../../lib/api/json_body.ts";
import { slideControl, slidesView } from "../../../../../lib/api/slides.ts";

/** The slide shown (GET), or next / previous / goto (POST, key required): every viewer follows at once. */
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
    const { action, index } = slideControl(await readJsonObject(req));
    return Response.json(slidesView(ctx.state.slides.for(room).control(action, index)));
  },
};

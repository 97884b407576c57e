import type { Handlers } from "../../../../../lib/web/context.ts";
import { requireRoomKey } from "../../../../../lib/api/room_key.ts";
import { readJsonObject } from "../../../../../lib/api/json_body.ts";
import { currentSlideView, slideControl } from "../../../../../lib/api/slides.ts";

/** The slide shown with its images (GET), or next / previous / goto (POST, key required): every viewer follows at once. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    return Response.json(currentSlideView(ctx.state.slides.for(room).slideMessage()), {
      headers: { "cache-control": "no-store" },
    });
  },

  async POST(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    requireRoomKey(req, room);
    const { action, index } = slideControl(await readJsonObject(req));
    const presentation = ctx.state.slides.for(room);
    presentation.control(action, index);
    return Response.json(currentSlideView(presentation.slideMessage()));
  },
};

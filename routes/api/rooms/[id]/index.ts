import type { Handlers } from "../../../../lib/web/context.ts";
import { roomDetail } from "../../../../lib/api/room_view.ts";

export const handler: Handlers = {
  GET(_req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    return Response.json(roomDetail(room, ctx.url.origin, ctx.state.now()));
  },
};

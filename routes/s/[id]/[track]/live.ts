import type { Handlers } from "../../../../lib/web/context.ts";
import { liveResponse } from "../../../../lib/egress/http_live.ts";

/** The track as one plain HTTP stream for ffplay, VLC or ffmpeg. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    return liveResponse(room, ctx.params.track, ctx.state.ticker);
  },
};

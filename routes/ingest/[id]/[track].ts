import type { Handlers } from "../../../lib/web/context.ts";
import { ingest } from "../../../lib/ingest/http_ingest.ts";

/** Publish a live WebM or fragmented MP4 body into a track (ffmpeg -method PUT). */
export const handler: Handlers = {
  async PUT(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    ctx.state.limits.uploads.require(ctx.client);
    const result = await ingest(req, room, ctx.params.track, ctx.state.config.maxElementBytes);
    return Response.json(result);
  },
};

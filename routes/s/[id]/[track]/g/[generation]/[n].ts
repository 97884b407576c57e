import type { Handlers } from "../../../../../../lib/web/context.ts";
import { pieceResponse } from "../../../../../../lib/egress/segments.ts";

/** Pull mode: media piece `n` of one generation, immutable; the next one is long-polled. */
export const handler: Handlers = {
  GET(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    return pieceResponse(req, room, ctx.params.track, ctx.params.generation, ctx.params.n, {
      count: (kind) => ctx.state.metrics.segmentRequest(kind),
    });
  },
};

import type { Handlers } from "../../../../../../lib/web/context.ts";
import { initResponse } from "../../../../../../lib/egress/segments.ts";

/** Pull mode: the init segment of one generation, immutable. */
export const handler: Handlers = {
  GET(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    return initResponse(req, room, ctx.params.track, ctx.params.generation, {
      count: (kind) => ctx.state.metrics.segmentRequest(kind),
    });
  },
};

import type { Handlers } from "../../../../lib/web/context.ts";
import { indexResponse } from "../../../../lib/egress/segments.ts";

/** Pull mode: the track's pieces as JSON, cached for a second (lib/egress/segments.ts). */
export const handler: Handlers = {
  GET(_req, ctx) {
    return indexResponse(() => ctx.state.hub.get(ctx.params.id), ctx.params.track, {
      count: (kind) => ctx.state.metrics.segmentRequest(kind),
    });
  },
};

import type { Handlers } from "../lib/web/context.ts";
import { PROMETHEUS_CONTENT_TYPE } from "../lib/metrics.ts";

/** Prometheus metrics in the text format; names in docs/api.md. */
export const handler: Handlers = {
  GET(_req, ctx) {
    return new Response(ctx.state.metrics.render(), {
      headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" },
    });
  },
};

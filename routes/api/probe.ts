import type { Handlers } from "../../lib/web/context.ts";
import { probeBytes, probeSize } from "../../lib/api/probe.ts";

/** `?bytes=N` random bytes, never cached: a viewer times the download to estimate its link. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const n = probeSize(ctx.url.searchParams);
    ctx.state.limits.probes.require(ctx.client);
    return new Response(probeBytes(n), {
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(n),
        "cache-control": "no-store",
      },
    });
  },
};

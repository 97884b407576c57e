import type { Handlers } from "../../../../lib/web/context.ts";
import { acceptWebSocket } from "../../../../lib/transport/deno_ws.ts";
import { admitSocket } from "../../../../lib/api/socket_admission.ts";
import { sessionDeps } from "../../../../lib/api/session_deps.ts";
import { PublisherSession } from "../../../../lib/session/publisher_session.ts";

/** The presenter's WebSocket (docs/protocol.md); the key comes in the hello message. */
export const handler: Handlers = {
  GET(req, ctx) {
    const { slot } = admitSocket(req, ctx, "publisher");
    const deps = sessionDeps(ctx);
    const { maxElementBytes } = ctx.state.config;
    return acceptWebSocket(
      req,
      deps.ticker,
      (peer) => new PublisherSession({ ...deps, peer, maxElementBytes }),
      slot,
    );
  },
};

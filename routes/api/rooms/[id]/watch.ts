import type { Handlers } from "../../../../lib/web/context.ts";
import { acceptWebSocket } from "../../../../lib/transport/deno_ws.ts";
import { admitSocket } from "../../../../lib/api/socket_admission.ts";
import { sessionDeps } from "../../../../lib/api/session_deps.ts";
import { ViewerSession } from "../../../../lib/session/viewer_session.ts";

/** A viewer's WebSocket (docs/protocol.md). */
export const handler: Handlers = {
  GET(req, ctx) {
    const { slot } = admitSocket(req, ctx, "viewer");
    const deps = sessionDeps(ctx);
    return acceptWebSocket(req, deps.ticker, (peer) => new ViewerSession({ ...deps, peer }), slot);
  },
};

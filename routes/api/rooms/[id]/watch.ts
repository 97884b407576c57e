import type { Handlers } from "../../../../lib/web/context.ts";
import { acceptWebSocket } from "../../../../lib/transport/deno_ws.ts";
import { admitSocket } from "../../../../lib/api/socket_admission.ts";
import { DEFAULT_HEARTBEAT } from "../../../../lib/session/heartbeat.ts";
import { ViewerSession } from "../../../../lib/session/viewer_session.ts";

/** A viewer's WebSocket (docs/protocol.md). */
export const handler: Handlers = {
  GET(req, ctx) {
    const { hub, log, now, ticker, states, chat, metrics, config, slides } = ctx.state;
    const { slot } = admitSocket(req, ctx, "viewer");
    const heartbeat = { ...DEFAULT_HEARTBEAT, helloTimeoutMs: config.limits.helloTimeoutMs };
    return acceptWebSocket(req, ticker, (peer) =>
      new ViewerSession({
        peer,
        log,
        now,
        hub,
        chat,
        ticker,
        states,
        slides,
        counters: { rejected: (reason) => metrics.rejected("ws", reason) },
        roomId: ctx.params.id,
        heartbeat,
      }), slot);
  },
};

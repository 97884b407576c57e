import type { Handlers } from "../../../../lib/web/context.ts";
import { acceptWebSocket } from "../../../../lib/transport/deno_ws.ts";
import { ViewerSession } from "../../../../lib/session/viewer_session.ts";

/** A viewer's WebSocket (docs/protocol.md). */
export const handler: Handlers = {
  GET(req, ctx) {
    const { hub, log, now, ticker, chat, metrics, slides } = ctx.state;
    return acceptWebSocket(req, ticker, (peer) =>
      new ViewerSession({
        peer,
        log,
        now,
        hub,
        chat,
        slides,
        counters: { rejected: (reason) => metrics.rejected("ws", reason) },
        roomId: ctx.params.id,
      }));
  },
};

import type { Handlers } from "../../../../lib/web/context.ts";
import { acceptWebSocket } from "../../../../lib/transport/deno_ws.ts";
import { PublisherSession } from "../../../../lib/session/publisher_session.ts";

/** The presenter's WebSocket (docs/protocol.md); the key comes in the hello message. */
export const handler: Handlers = {
  GET(req, ctx) {
    const { hub, log, now, ticker, config, chat, metrics, slides } = ctx.state;
    return acceptWebSocket(req, ticker, (peer) =>
      new PublisherSession({
        peer,
        log,
        now,
        hub,
        chat,
        slides,
        counters: { rejected: (reason) => metrics.rejected("ws", reason) },
        roomId: ctx.params.id,
        maxElementBytes: config.maxElementBytes,
      }));
  },
};

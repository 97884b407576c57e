import type { Handlers } from "../../../../lib/web/context.ts";
import { acceptWebSocket } from "../../../../lib/transport/deno_ws.ts";
import { admitSocket } from "../../../../lib/api/socket_admission.ts";
import { DEFAULT_HEARTBEAT } from "../../../../lib/session/heartbeat.ts";
import { PublisherSession } from "../../../../lib/session/publisher_session.ts";

/** The presenter's WebSocket (docs/protocol.md); the key comes in the hello message. */
export const handler: Handlers = {
  GET(req, ctx) {
    const { hub, log, now, ticker, states, config, chat, metrics, slides } = ctx.state;
    const { slot } = admitSocket(req, ctx, "publisher");
    const heartbeat = { ...DEFAULT_HEARTBEAT, helloTimeoutMs: config.limits.helloTimeoutMs };
    return acceptWebSocket(req, ticker, (peer) =>
      new PublisherSession({
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
        maxElementBytes: config.maxElementBytes,
      }), slot);
  },
};

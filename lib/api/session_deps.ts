/**
 * What a room's WebSocket session gets from the app, publisher and viewer
 * alike: one place, so the two endpoints cannot drift apart.
 */
import { DEFAULT_HEARTBEAT } from "../session/heartbeat.ts";
import type { HandlerContext } from "../web/context.ts";

/** The app's services for a session of room `ctx.params.id` (all but its peer). */
export function sessionDeps(ctx: HandlerContext<unknown>) {
  const { hub, log, now, ticker, states, config, chat, metrics, slides } = ctx.state;
  return {
    log,
    now,
    hub,
    chat,
    ticker,
    states,
    slides,
    counters: { rejected: (reason: string) => metrics.rejected("ws", reason) },
    roomId: ctx.params.id,
    heartbeat: { ...DEFAULT_HEARTBEAT, helloTimeoutMs: config.limits.helloTimeoutMs },
  };
}

/**
 * What a WebSocket endpoint checks before it upgrades, so that the refusals
 * docs/protocol.md promises as plain HTTP really are: no such room (404),
 * room full (503, viewers), not a WebSocket (426), too many connections from
 * this client or in all that have not said hello (429 with Retry-After).
 * The session checks the room again at hello (it may have ended meanwhile).
 * A viewer's media lane (`?lane` in the URL, lib/session/lanes.ts) is not a
 * viewer of its own, so a full room does not refuse it; its hello must name
 * a lane token, or it is counted and refused like any viewer.
 */
import { CapacityError } from "../errors.ts";
import type { Room } from "../hub/room.ts";
import type { PendingSlot } from "../limits/pending_sockets.ts";
import { UpgradeRequiredError } from "../transport/deno_ws.ts";
import type { HandlerContext } from "../web/context.ts";

export interface Admission {
  room: Room;
  /** Held until the hello (or the close); the transport releases it. */
  slot: PendingSlot;
}

/** Admits `req` to room `ctx.params.id` as `role`, or throws the HTTP error to answer. */
export function admitSocket(
  req: Request,
  ctx: HandlerContext<unknown>,
  role: "publisher" | "viewer",
): Admission {
  const { hub, config, limits } = ctx.state;
  const room = hub.get(ctx.params.id);
  const lane = role === "viewer" && new URL(req.url).searchParams.has("lane");
  if (role === "viewer" && !lane && room.viewers >= config.maxViewers) {
    throw new CapacityError(
      `this room is full (${config.maxViewers} viewers); try again later or ask the presenter to raise --max-viewers`,
    );
  }
  // After the room checks: a plain GET gets the same 404/503 an upgrade would,
  // which is how a browser client learns why its WebSocket failed (lib/client/socket.ts).
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    throw new UpgradeRequiredError(
      "this endpoint speaks WebSocket: connect with new WebSocket(url)",
    );
  }
  return { room, slot: limits.pending.acquire(ctx.client) };
}

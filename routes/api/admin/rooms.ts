import type { Handlers } from "../../../lib/web/context.ts";
import { requireAdmin } from "../../../lib/api/admin.ts";
import { roomDetail } from "../../../lib/api/room_view.ts";

/** Every room, live or not, newest first, with per-track figures (admin token required). */
export const handler: Handlers = {
  GET(req, ctx) {
    requireAdmin(req, ctx.state.config);
    const { hub, snapshots, now } = ctx.state;
    const rooms = hub.rooms()
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((room) => roomDetail(room, ctx.url.origin, now(), snapshots.get(room)));
    return Response.json({ rooms }, { headers: { "cache-control": "no-store" } });
  },
};

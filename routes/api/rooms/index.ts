import type { Handlers } from "../../../lib/web/context.ts";
import { optionalString, readJsonObject } from "../../../lib/api/json_body.ts";
import { createdRoom, liveRooms } from "../../../lib/api/room_view.ts";

export const handler: Handlers = {
  /** Live rooms, newest first. */
  GET(_req, ctx) {
    const rooms = liveRooms(ctx.state.hub, ctx.state.snapshots, ctx.url.origin);
    return Response.json({ rooms }, { headers: { "cache-control": "no-store" } });
  },

  /** Creates a room: 201 with its id and key (shown only here). */
  async POST(req, ctx) {
    ctx.state.limits.rooms.require(ctx.client);
    const body = await readJsonObject(req);
    const { room, key } = ctx.state.hub.create({ title: optionalString(body, "title") });
    return Response.json(createdRoom(room, key, ctx.url.origin), {
      status: 201,
      headers: { location: `/api/rooms/${room.id}`, "cache-control": "no-store" },
    });
  },
};

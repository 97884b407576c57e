import type { Handlers } from "../../../lib/web/context.ts";
import { optionalString, readJsonObject } from "../../../lib/api/json_body.ts";
import { createdRoom, roomSummary } from "../../../lib/api/room_view.ts";

export const handler: Handlers = {
  /** Live rooms, newest first. */
  GET(_req, ctx) {
    const rooms = ctx.state.hub.rooms()
      .filter((room) => room.liveSince !== null)
      .sort((a, b) => (b.liveSince ?? 0) - (a.liveSince ?? 0))
      .map((room) => roomSummary(room, ctx.url.origin));
    return Response.json({ rooms });
  },

  /** Creates a room: 201 with its id and key (shown only here). */
  async POST(req, ctx) {
    const body = await readJsonObject(req);
    const { room, key } = ctx.state.hub.create({ title: optionalString(body, "title") });
    return Response.json(createdRoom(room, key, ctx.url.origin), {
      status: 201,
      headers: { location: `/api/rooms/${room.id}`, "cache-control": "no-store" },
    });
  },
};

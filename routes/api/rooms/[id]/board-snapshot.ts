import type { Handlers } from "../../../../lib/web/context.ts";
import { requireRoomKey } from "../../../../lib/api/room_key.ts";
import { readJpeg } from "../../../../lib/api/snapshots.ts";

/**
 * The board while the presenter shares a screen (a JPEG up to 256 KiB, key
 * required), uploaded every ~5 s; DELETE when the share ends. Connections
 * hear each new one as a `board-snapshot` message.
 */
export const handler: Handlers = {
  async PUT(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    requireRoomKey(req, room);
    const bytes = await readJpeg(req);
    const snapshot = await ctx.state.boardSnapshots.put(room, bytes, Date.now());
    ctx.state.slides.for(room).boardSnapshot(
      `/api/rooms/${room.id}/board-snapshot.jpg?v=${snapshot.etag.slice(1, 9)}`,
    );
    return new Response(null, { status: 204 });
  },

  DELETE(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    requireRoomKey(req, room);
    ctx.state.boardSnapshots.drop(room);
    ctx.state.slides.for(room).boardSnapshot(null);
    return new Response(null, { status: 204 });
  },
};

import type { Handlers } from "../../../../lib/web/context.ts";
import { requireRoomKey } from "../../../../lib/api/room_key.ts";
import { readJpeg } from "../../../../lib/api/snapshots.ts";

/** The studio's thumbnail upload: a JPEG body up to 256 KiB, key required. */
export const handler: Handlers = {
  async PUT(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    requireRoomKey(req, room);
    ctx.state.limits.uploads.require(ctx.client);
    const bytes = await readJpeg(req);
    await ctx.state.snapshots.put(room, bytes, Date.now());
    return new Response(null, { status: 204 });
  },
};

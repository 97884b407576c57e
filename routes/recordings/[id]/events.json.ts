import type { Handlers } from "../../../lib/web/context.ts";
import { readEvents } from "../../../lib/record/events_file.ts";

/** The recording's timeline of room events: `{events: [{t, type, ...fields}]}`, t in ms. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const meta = await ctx.state.recordings.get(ctx.params.id);
    const events = await readEvents(ctx.state.recordings.dir(meta.id));
    return Response.json({ events }, {
      headers: { "cache-control": meta.live ? "no-cache" : "public, max-age=60" },
    });
  },
};

import type { Handlers } from "../../../../lib/web/context.ts";
import { recordingView } from "../../../../lib/record/recording_view.ts";
import { parseChange } from "../../../../lib/record/catalog.ts";
import { readJsonObject } from "../../../../lib/api/json_body.ts";
import { requireRecordingKey } from "../../../../lib/api/recording_key.ts";
import { isAdmin } from "../../../../lib/api/admin.ts";

export const handler: Handlers = {
  /** One recording: tracks with their parts on the shared timeline, events and replay URLs. */
  async GET(_req, ctx) {
    const meta = await ctx.state.recordings.get(ctx.params.id);
    return Response.json(recordingView(meta), { headers: { "cache-control": "no-store" } });
  },

  /** Renames or (un)lists it: `{"title": ..., "unlisted": true}`; the room key (or admin token). */
  async PATCH(req, ctx) {
    const meta = await ctx.state.recordings.get(ctx.params.id);
    if (!isAdmin(req, ctx.state.config)) requireRecordingKey(req, meta);
    const change = parseChange(await readJsonObject(req));
    const updated = await ctx.state.recordings.update(meta.id, change);
    return Response.json(recordingView(updated), { headers: { "cache-control": "no-store" } });
  },

  /** Deletes it and its files (room key or admin token); 409 while it is still recorded. */
  async DELETE(req, ctx) {
    const meta = await ctx.state.recordings.get(ctx.params.id);
    if (!isAdmin(req, ctx.state.config)) requireRecordingKey(req, meta);
    await ctx.state.recordings.delete(meta.id);
    // Slide images only this recording named are no longer needed.
    ctx.state.slideSweeper.sweep();
    return new Response(null, { status: 204 });
  },
};

import type { Handlers } from "../../../lib/web/context.ts";
import { recordingView } from "../../../lib/record/recording_view.ts";
import { hasRecordingKey } from "../../../lib/api/recording_key.ts";

export const handler: Handlers = {
  /**
   * Recordings, newest first (an array). `?room=ID` keeps that room's; unlisted
   * ones are shown only with that room's key as `Authorization: Bearer KEY`.
   */
  async GET(req, ctx) {
    const room = ctx.url.searchParams.get("room");
    const all = await ctx.state.recordings.list();
    const shown = all.filter((meta) =>
      (room === null || meta.roomId === room) &&
      (!meta.unlisted || (room !== null && hasRecordingKey(req, meta)))
    );
    return Response.json(shown.map(recordingView), { headers: { "cache-control": "no-store" } });
  },
};

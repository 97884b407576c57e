import type { Handlers } from "../../../lib/web/context.ts";
import { recordingView } from "../../../lib/record/recording_view.ts";
import { hasRecordingKey } from "../../../lib/api/recording_key.ts";
import { isAdmin } from "../../../lib/api/admin.ts";

export const handler: Handlers = {
  /**
   * Recordings, newest first (an array). `?room=ID` keeps that room's. Unlisted
   * ones are shown to the operator's `--admin-token`, and with `?room=ID` to
   * that room's key (`Authorization: Bearer`).
   */
  async GET(req, ctx) {
    const room = ctx.url.searchParams.get("room");
    const admin = isAdmin(req, ctx.state.config);
    const all = await ctx.state.recordings.list();
    const shown = all.filter((meta) =>
      (room === null || meta.roomId === room) &&
      (!meta.unlisted || admin || (room !== null && hasRecordingKey(req, meta)))
    );
    return Response.json(shown.map(recordingView), { headers: { "cache-control": "no-store" } });
  },
};

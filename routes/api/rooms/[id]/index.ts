import type { Handlers } from "../../../../lib/web/context.ts";
import { roomDetail, roomSummary } from "../../../../lib/api/room_view.ts";
import { optionalString, readJsonObject } from "../../../../lib/api/json_body.ts";
import { requireRoomKey } from "../../../../lib/api/room_key.ts";
import { UserError } from "../../../../lib/errors.ts";
import { isAdmin } from "../../../../lib/api/admin.ts";
import { slidesView } from "../../../../lib/api/slides.ts";
import {
  type AnnouncedSnapshot,
  BOARD_SNAPSHOT,
  CAMERA_SNAPSHOT,
  snapshotPath,
} from "../../../../lib/api/room_snapshots.ts";

export const handler: Handlers = {
  /** The room with per-track figures and its live recording's id (`recordingId`, or null). */
  GET(_req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    const snapshot = ctx.state.snapshots.get(room);
    const recordingId = ctx.state.recorder?.recordingOf(room.id)?.id ?? null;
    const detail = roomDetail(room, ctx.url.origin, ctx.state.now(), snapshot);
    const slides = slidesView(ctx.state.slides.for(room).state);
    const urlOf = (kind: AnnouncedSnapshot) => {
      const snapshot = kind.store(ctx.state).get(room);
      return snapshot ? ctx.url.origin + snapshotPath(room.id, kind.file, snapshot) : null;
    };
    const boardSnapshotUrl = urlOf(BOARD_SNAPSHOT);
    const cameraSnapshotUrl = urlOf(CAMERA_SNAPSHOT);
    return Response.json({ ...detail, recordingId, slides, boardSnapshotUrl, cameraSnapshotUrl }, {
      headers: { "cache-control": "no-store" },
    });
  },

  /** Renames the room (`{"title": ...}`, key required); connections see it in their next state. */
  async PATCH(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    requireRoomKey(req, room);
    const title = optionalString(await readJsonObject(req), "title");
    if (title === undefined) {
      throw new UserError('send the new title, e.g. {"title": "Algebra 101"}');
    }
    room.rename(title);
    return Response.json(roomSummary(room, ctx.url.origin, ctx.state.snapshots.get(room)));
  },

  /** Ends the room (its key, or the admin token): viewers get `ended` and the close 4000. */
  DELETE(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    if (isAdmin(req, ctx.state.config)) {
      ctx.state.log.info(`room ${room.id} ended by the administrator`);
      ctx.state.hub.delete(room.id, "an administrator ended this session");
      return new Response(null, { status: 204 });
    }
    requireRoomKey(req, room);
    ctx.state.hub.delete(room.id, "the presenter ended this session");
    return new Response(null, { status: 204 });
  },
};

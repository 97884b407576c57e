import type { Handlers } from "../../../../lib/web/context.ts";
import { snapshotResponse } from "../../../../lib/api/snapshots.ts";
import { NotFoundError } from "../../../../lib/errors.ts";

/** The room's latest thumbnail; 404 until the studio uploaded one. */
export const handler: Handlers = {
  GET(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    const snapshot = ctx.state.snapshots.get(room);
    if (!snapshot) throw new NotFoundError("this room has no snapshot yet");
    return snapshotResponse(req, snapshot);
  },
};

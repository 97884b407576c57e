import type { Handlers } from "../../../../lib/web/context.ts";
import { snapshotResponse } from "../../../../lib/api/snapshots.ts";
import { NotFoundError } from "../../../../lib/errors.ts";

/** The latest board snapshot of a screen share (ETag: polling an unchanged one costs a 304). */
export const handler: Handlers = {
  GET(req, ctx) {
    const room = ctx.state.hub.get(ctx.params.id);
    const snapshot = ctx.state.boardSnapshots.get(room);
    if (!snapshot) {
      throw new NotFoundError("no screen share now; follow the slides and ink, or the board video");
    }
    return snapshotResponse(req, snapshot);
  },
};

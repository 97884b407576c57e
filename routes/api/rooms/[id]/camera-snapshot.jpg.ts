import { CAMERA_SNAPSHOT, snapshotImageHandlers } from "../../../../lib/api/room_snapshots.ts";

/** The latest camera snapshot (ETag: polling an unchanged one costs a 304). */
export const handler = snapshotImageHandlers(CAMERA_SNAPSHOT);

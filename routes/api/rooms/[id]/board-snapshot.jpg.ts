import { BOARD_SNAPSHOT, snapshotImageHandlers } from "../../../../lib/api/room_snapshots.ts";

/** The latest board snapshot of a screen share (ETag: polling an unchanged one costs a 304). */
export const handler = snapshotImageHandlers(BOARD_SNAPSHOT);

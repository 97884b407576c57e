import { BOARD_SNAPSHOT, snapshotUploadHandlers } from "../../../../lib/api/room_snapshots.ts";

/**
 * The board while the presenter shares a screen (a JPEG up to 256 KiB, key
 * required), uploaded every ~5 s; DELETE when the share ends. Connections
 * hear each new one as a `screen` message.
 */
export const handler = snapshotUploadHandlers(BOARD_SNAPSHOT);

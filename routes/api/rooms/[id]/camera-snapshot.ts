import { CAMERA_SNAPSHOT, snapshotUploadHandlers } from "../../../../lib/api/room_snapshots.ts";

/**
 * The camera while it is live (a small JPEG up to 256 KiB, key required),
 * uploaded every ~5 s for viewers that take no camera video; DELETE when the
 * camera stops. Connections hear each new one as a `camera` message.
 */
export const handler = snapshotUploadHandlers(CAMERA_SNAPSHOT);

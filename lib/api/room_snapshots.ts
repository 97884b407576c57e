/**
 * The JPEGs the studio uploads for viewers that take no video, each
 * announced on every connection of the room as it changes: the board during
 * a screen share (`board-snapshot`, `screen` messages) and the camera while it
 * is live (`camera-snapshot`, `camera` messages). One set of handlers for
 * both: `PUT` (room key; a JPEG as lib/api/snapshots.ts checks it) and
 * `DELETE` at `/api/rooms/:id/<file>`, `GET` at `/api/rooms/:id/<file>.jpg`
 * (ETag, `no-cache`, 304). Each upload is announced as a versioned URL, so a
 * client fetches a new image only when there is one.
 */
import { requireRoomKey } from "./room_key.ts";
import { readJpeg, type Snapshot, snapshotResponse, type SnapshotStore } from "./snapshots.ts";
import { NotFoundError } from "../errors.ts";
import type { SnapshotKind } from "../slides/presentation.ts";
import type { AppState } from "../state.ts";
import type { Handlers } from "../web/context.ts";

export interface AnnouncedSnapshot {
  /** The path under the room: `board-snapshot`, `camera-snapshot`. */
  file: string;
  /** The message and event type that announces it. */
  type: SnapshotKind;
  store(state: AppState): SnapshotStore;
  /** Why there is none (the 404's text): what to do instead. */
  missing: string;
}

export const BOARD_SNAPSHOT: AnnouncedSnapshot = {
  file: "board-snapshot",
  type: "screen",
  store: (state) => state.boardSnapshots,
  missing: "no screen share now; follow the slides and ink, or the board video",
};

export const CAMERA_SNAPSHOT: AnnouncedSnapshot = {
  file: "camera-snapshot",
  type: "camera",
  store: (state) => state.cameraSnapshots,
  missing: "the camera is off now; listen to the voice and follow the board",
};

/** The image's path with its version (from the ETag): changes whenever the image does. */
export function snapshotPath(roomId: string, file: string, snapshot: Snapshot): string {
  return `/api/rooms/${roomId}/${file}.jpg?v=${snapshot.etag.slice(1, 9)}`;
}

/** `PUT` (a JPEG up to 256 KiB) and `DELETE`, both with the room key: 204, announced. */
export function snapshotUploadHandlers(kind: AnnouncedSnapshot): Handlers {
  return {
    async PUT(req, ctx) {
      const room = ctx.state.hub.get(ctx.params.id);
      requireRoomKey(req, room);
      ctx.state.limits.uploads.require(ctx.client);
      const bytes = await readJpeg(req);
      const snapshot = await kind.store(ctx.state).put(room, bytes, Date.now());
      ctx.state.slides.for(room).snapshot(kind.type, snapshotPath(room.id, kind.file, snapshot));
      return new Response(null, { status: 204 });
    },

    DELETE(req, ctx) {
      const room = ctx.state.hub.get(ctx.params.id);
      requireRoomKey(req, room);
      kind.store(ctx.state).drop(room);
      ctx.state.slides.for(room).snapshot(kind.type, null);
      return new Response(null, { status: 204 });
    },
  };
}

/** `GET` the latest image (ETag: polling an unchanged one costs a 304); 404 when there is none. */
export function snapshotImageHandlers(kind: AnnouncedSnapshot): Handlers {
  return {
    GET(req, ctx) {
      const room = ctx.state.hub.get(ctx.params.id);
      const snapshot = kind.store(ctx.state).get(room);
      if (!snapshot) throw new NotFoundError(kind.missing);
      return snapshotResponse(req, snapshot);
    },
  };
}

/**
 * What the REST API shows of a room. The key appears only in the answer to
 * the request that created the room.
 */
import type { Hub } from "../hub/hub.ts";
import type { Room } from "../hub/room.ts";
import type { TrackStats } from "../hub/stats.ts";
import type { Snapshot, SnapshotStore } from "./snapshots.ts";

export interface CreatedRoom {
  id: string;
  key: string;
  title: string;
  viewerUrl: string;
  studioUrl: string;
}

/** The 201 body of POST /api/rooms. The studio URL carries the key in its fragment, never sent to a server. */
export function createdRoom(room: Room, key: string, origin: string): CreatedRoom {
  return {
    id: room.id,
    key,
    title: room.title,
    viewerUrl: `${origin}/s/${room.id}`,
    studioUrl: `${origin}/studio#room=${encodeURIComponent(room.id)}&key=${
      encodeURIComponent(key)
    }`,
  };
}

export interface RoomSummary {
  id: string;
  title: string;
  live: boolean;
  /** Unix ms. */
  createdAt: number;
  /** Unix ms, or null when nothing is live. */
  liveSince: number | null;
  /** Whole seconds since `liveSince` by the server's clock, or null. */
  liveForSeconds: number | null;
  viewers: number;
  viewerUrl: string;
  /** The latest studio snapshot (JPEG), or null before the first upload. Changes with the image. */
  thumbnailUrl: string | null;
}

export function roomSummary(
  room: Room,
  origin: string,
  snapshot?: Snapshot,
  wallNow: number = Date.now(),
): RoomSummary {
  const since = room.liveSince;
  return {
    id: room.id,
    title: room.title,
    live: room.liveSince !== null,
    createdAt: room.createdAt,
    liveSince: since,
    liveForSeconds: since === null ? null : Math.max(0, Math.floor((wallNow - since) / 1000)),
    viewers: room.viewers,
    viewerUrl: `${origin}/s/${room.id}`,
    thumbnailUrl: snapshot
      ? `${origin}/api/rooms/${room.id}/snapshot.jpg?v=${snapshot.etag.slice(1, 9)}`
      : null,
  };
}

/** Rooms with a live track, most recently live first: the directory. */
export function liveRooms(hub: Hub, snapshots: SnapshotStore, origin: string): RoomSummary[] {
  return hub.rooms()
    .filter((room) => room.liveSince !== null)
    .sort((a, b) => (b.liveSince ?? 0) - (a.liveSince ?? 0))
    .map((room) => roomSummary(room, origin, snapshots.get(room)));
}

export interface RoomDetail extends RoomSummary {
  /** Publisher connections (the studio; an ingest). */
  publishers: number;
  /** Per track: MIME with codecs, bitrate (bit/s), bufferedSeconds, keyframeIntervalMs, viewers, byte counts. */
  tracks: TrackStats[];
}

export function roomDetail(
  room: Room,
  origin: string,
  now: number,
  snapshot?: Snapshot,
): RoomDetail {
  return {
    ...roomSummary(room, origin, snapshot),
    publishers: room.publishers,
    tracks: room.stats(now).tracks,
  };
}

/**
 * What the REST API shows of a room. The key appears only in the answer to
 * the request that created the room.
 */
import type { Room } from "../hub/room.ts";
import type { TrackStats } from "../hub/stats.ts";

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
  viewers: number;
  viewerUrl: string;
}

export function roomSummary(room: Room, origin: string): RoomSummary {
  return {
    id: room.id,
    title: room.title,
    live: room.liveSince !== null,
    createdAt: room.createdAt,
    liveSince: room.liveSince,
    viewers: room.viewers,
    viewerUrl: `${origin}/s/${room.id}`,
  };
}

export interface RoomDetail extends RoomSummary {
  tracks: TrackStats[];
}

export function roomDetail(room: Room, origin: string, now: number): RoomDetail {
  return { ...roomSummary(room, origin), tracks: room.stats(now).tracks };
}

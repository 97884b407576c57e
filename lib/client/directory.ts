/**
 * Pure helpers of the directory island: read `GET /api/rooms` defensively
 * (a card with a missing field is dropped, not a broken page) and say how
 * long a room has been live in words.
 */
import type { RoomSummary } from "../api/room_view.ts";

/** The rooms of a `GET /api/rooms` body; anything malformed is skipped. */
export function parseRoomList(body: unknown): RoomSummary[] {
  const rooms = (body as { rooms?: unknown })?.rooms;
  if (!Array.isArray(rooms)) return [];
  return rooms.filter((r): r is RoomSummary =>
    typeof r?.id === "string" && typeof r.title === "string" && typeof r.viewers === "number" &&
    (r.liveForSeconds === null || typeof r.liveForSeconds === "number") &&
    (r.thumbnailUrl === null || typeof r.thumbnailUrl === "string")
  );
}

/** "just now", "3 min", "1 h 05 min". */
export function formatLiveFor(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return "under a minute";
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/**
 * The room key on REST calls that change a room: `Authorization: Bearer KEY`,
 * as for `PUT /ingest` (never in the URL, which ends up in logs).
 */
import { AuthError } from "../errors.ts";
import type { Room } from "../hub/room.ts";
import { bearerKey } from "../ingest/http_ingest.ts";

/** Throws AuthError unless `req` carries the key of `room`. */
export function requireRoomKey(req: Request, room: Room): void {
  if (!room.checkKey(bearerKey(req))) {
    throw new AuthError("wrong room key; use the key from the presenter link");
  }
}

/**
 * The room key on REST calls that change a recording: `Authorization: Bearer
 * KEY`, checked against the hash the recording keeps, so it works after the
 * room itself has ended.
 */
import { AuthError } from "../errors.ts";
import { bearerKey } from "../ingest/http_ingest.ts";
import { checkKeyHash, type RecordingMeta } from "../record/meta.ts";

/** Throws AuthError unless `req` carries the key of the room `meta` was recorded in. */
export function requireRecordingKey(req: Request, meta: RecordingMeta): void {
  if (!checkKeyHash(bearerKey(req), meta.keyHash)) {
    throw new AuthError("wrong room key; use the key of the room this lesson was recorded in");
  }
}

/** True when `req` carries a bearer key that is the key of `meta`'s room (no header: false). */
export function hasRecordingKey(req: Request, meta: RecordingMeta): boolean {
  if (!req.headers.has("authorization")) return false;
  try {
    return checkKeyHash(bearerKey(req), meta.keyHash);
  } catch {
    return false;
  }
}

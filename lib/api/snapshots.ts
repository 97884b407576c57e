/**
 * The latest thumbnail of each room: a JPEG the studio uploads every few
 * seconds (`PUT /api/rooms/:id/snapshot`), kept in memory only and served to
 * the directory (`GET /api/rooms/:id/snapshot.jpg`) with an ETag so that a
 * card refreshing an unchanged image costs a 304. Keyed by the Room object,
 * so a snapshot goes with its room.
 */
import { TooLargeError, UnsupportedMediaError, UserError } from "../errors.ts";
import { readCappedBody } from "./capped_body.ts";

/** Largest snapshot accepted. */
export const MAX_SNAPSHOT_BYTES = 256 * 1024;

export interface Snapshot {
  bytes: Uint8Array<ArrayBuffer>;
  /** Strong ETag from the content, quoted. */
  etag: string;
  /** Unix ms of the upload. */
  at: number;
}

export class SnapshotStore {
  #byRoom = new WeakMap<object, Snapshot>();

  get(room: object): Snapshot | undefined {
    return this.#byRoom.get(room);
  }

  async put(room: object, bytes: Uint8Array<ArrayBuffer>, at: number): Promise<Snapshot> {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const hex = [...digest.subarray(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const snapshot = { bytes, etag: `"${hex}"`, at };
    this.#byRoom.set(room, snapshot);
    return snapshot;
  }

  drop(room: object): void {
    this.#byRoom.delete(room);
  }
}

/**
 * Reads a JPEG body of at most `maxBytes`: TooLargeError (413) beyond it,
 * checked on Content-Length and again while reading; UnsupportedMediaError
 * (415) for another Content-Type or bytes that do not start like a JPEG
 * (FF D8 FF); UserError for an empty body.
 */
export async function readJpeg(
  req: Request,
  maxBytes = MAX_SNAPSHOT_BYTES,
): Promise<Uint8Array<ArrayBuffer>> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "" && type !== "image/jpeg" && type !== "application/octet-stream") {
    await req.body?.cancel();
    throw new UnsupportedMediaError(`send the snapshot as image/jpeg, not ${type.slice(0, 60)}`);
  }
  const tooLarge = () =>
    new TooLargeError(`a snapshot is at most ${maxBytes / 1024} KiB; send a smaller JPEG`);
  const bytes = await readCappedBody(req, maxBytes, tooLarge);
  if (bytes.byteLength === 0) {
    throw new UserError("the snapshot is empty; send a JPEG image as the body");
  }
  if (bytes.byteLength < 3 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) {
    throw new UnsupportedMediaError("the snapshot is not a JPEG image (it must start FF D8 FF)");
  }
  return bytes;
}

/** 200 with the image, or 304 when the client has it; always revalidated. */
export function snapshotResponse(req: Request, snapshot: Snapshot): Response {
  const headers = new Headers({
    "content-type": "image/jpeg",
    "cache-control": "no-cache",
    etag: snapshot.etag,
    "last-modified": new Date(snapshot.at).toUTCString(),
  });
  const inm = req.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim() === snapshot.etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(snapshot.bytes.byteLength));
  return new Response(req.method === "HEAD" ? null : snapshot.bytes, { headers });
}

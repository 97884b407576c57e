/**
 * `PUT /ingest/:id/:track` for non-browser publishers (ffmpeg -method PUT):
 * the chunked request body is parsed as it arrives and pushed into the hub
 * like a browser's chunks. The response comes when the body ends or fails;
 * the room keeps serving the last good media either way.
 */
import type { Room } from "../hub/room.ts";
import { AuthError, UnsupportedMediaError, UserError } from "../errors.ts";
import { coalesce } from "../media/coalesce.ts";
import { createDemuxer } from "../media/detect.ts";
import { UnsupportedCodecError, uploadMime } from "../media/mime.ts";
import { MediaError } from "../media/segment.ts";

export interface IngestResult {
  track: string;
  bytes: number;
  segments: number;
}

/** The key from `Authorization: Bearer KEY`; AuthError when absent. */
export function bearerKey(req: Request): string {
  const header = req.headers.get("authorization") ?? "";
  const m = header.match(/^Bearer\s+(\S+)\s*$/i);
  if (!m) {
    throw new AuthError("send the room key as `Authorization: Bearer KEY`");
  }
  return m[1];
}

/** Reads the whole body into `track` of `room`. Throws the error that decides the status. */
export async function ingest(
  req: Request,
  room: Room,
  track: string,
  maxElementBytes: number,
): Promise<IngestResult> {
  const key = bearerKey(req);
  if (!req.body) throw new UserError("send a live WebM or fragmented MP4 stream as the body");
  const reader = req.body.getReader();
  let endedBy: string | null = null;
  const publisher = room.publish(key, (_code, reason) => {
    endedBy = reason;
    reader.cancel().catch(() => {});
  });
  const result: IngestResult = { track, bytes: 0, segments: 0 };
  try {
    publisher.start(track, uploadMime(req.headers.get("content-type")));
    const demuxer = createDemuxer({ maxElementBytes, memory: publisher.parserMemory(track) });
    const push = (segments: ReturnType<typeof demuxer.push>) => {
      for (const segment of coalesce(segments)) {
        publisher.push(track, segment);
        result.segments++;
      }
    };
    try {
      while (true) {
        const next = await reader.read().catch(() => null);
        if (next === null) return result; // the publisher hung up: nobody to answer
        const { value, done } = next;
        if (done) break;
        result.bytes += value.byteLength;
        push(demuxer.push(value));
      }
      if (endedBy === null) push(demuxer.end());
    } catch (err) {
      if (!(err instanceof MediaError)) throw err;
      reader.cancel().catch(() => {});
      // A codec that cannot be named in a MIME type is unsupported wherever it appears.
      if (result.segments === 0 || err instanceof UnsupportedCodecError) {
        throw new UnsupportedMediaError(`${err.message}`);
      }
      throw new UserError(`bad media after ${result.bytes} bytes: ${err.message}`);
    }
    if (endedBy !== null) throw new UserError(`publishing stopped: ${endedBy}`);
    return result;
  } finally {
    publisher.release();
  }
}

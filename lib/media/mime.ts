/**
 * MIME types that may leave the server: built from media bytes by the
 * demuxers, or announced by a publisher (`track-start` mime, a PUT's
 * Content-Type). Both end up in `state` messages, in the init frame (at most
 * 255 bytes) and in the `Content-Type` of `GET /s/:id/:track/live`, where one
 * control byte used to panic the runtime's HTTP writer and end the process.
 * So every MIME is checked here, once, before it reaches the hub: anything
 * else is refused with a message that says what to send instead.
 *
 * Pure: no I/O, errors are MediaError (media bytes) or UnsupportedMediaError
 * (a client's string).
 */

import { UnsupportedMediaError } from "../errors.ts";
import { printable } from "./bytes.ts";
import { MediaError } from "./segment.ts";

/** Longest MIME type, in bytes: the init frame stores its length in one byte. */
export const MAX_MIME_BYTES = 255;

/** Longest single codec string (RFC 6381 strings are ~20 characters; Matroska IDs ~20). */
export const MAX_CODEC_CHARS = 64;

/**
 * One codec string as a `codecs` parameter may hold it (RFC 6381 §3.2: dot-
 * separated ASCII identifiers). We also allow `_` and `/` so an unknown
 * Matroska CodecID such as "V_MPEG4/ISO/ASP" is passed through by name and a
 * player's refusal is explicit; never quotes, commas, semicolons, spaces or
 * control bytes, which would change the header's meaning or break it.
 */
const CODEC = /^[A-Za-z0-9][A-Za-z0-9._+\/-]*$/;

/** True when `codec` may appear in a `codecs="..."` parameter as is. */
export function isCodecString(codec: string): boolean {
  return codec.length <= MAX_CODEC_CHARS && CODEC.test(codec);
}

/** A codec string that cannot be named in a MIME type: refused, 415 at ingest. */
export class UnsupportedCodecError extends MediaError {
  override name = "UnsupportedCodecError";
}

/**
 * The MIME type of a stream `"video/webm; codecs=\"vp8,opus\""` from its
 * codec strings. Throws UnsupportedCodecError for a codec that is not a valid
 * codec string (it came from media bytes) or a MIME over MAX_MIME_BYTES.
 */
export function streamMime(
  kind: "video" | "audio",
  container: "webm" | "mp4",
  codecs: readonly string[],
): string {
  for (const codec of codecs) {
    if (!isCodecString(codec)) {
      throw new UnsupportedCodecError(
        `codec "${printable(new TextEncoder().encode(codec.slice(0, 40)))}"${
          codec.length > 40 ? "..." : ""
        } is not a valid codec name; record with a standard codec (vp8, vp9, av1, h264, opus, aac)`,
      );
    }
  }
  const mime = `${kind}/${container}; codecs="${codecs.join(",")}"`;
  if (mime.length > MAX_MIME_BYTES) {
    throw new UnsupportedCodecError(
      `the stream's MIME type would be ${mime.length} bytes (${codecs.length} tracks), over ` +
        `${MAX_MIME_BYTES}; send fewer tracks (one video and one audio)`,
    );
  }
  return mime;
}

/**
 * type/subtype, then `; name=value` parameters, the value a token or a
 * quoted string; only spaces around `;` (a tab is a control character that
 * the browser's decoder refuses in a message).
 */
const MIME = new RegExp(
  "^(video|audio)/[a-z0-9][a-z0-9.+_-]*" +
    '( *; *[a-z0-9_-]+=("[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*"|[a-z0-9._+\\/,-]+))*$',
  "i",
);

/** True when `mime` is a media MIME type that is safe in a header and a message. */
export function isMediaMime(mime: string): boolean {
  return mime.length <= MAX_MIME_BYTES && MIME.test(mime);
}

/**
 * What a publisher announced (`track-start` mime): trimmed, and refused with
 * UnsupportedMediaError unless it is an audio/ or video/ MIME type of
 * printable ASCII within MAX_MIME_BYTES.
 */
export function announcedMime(raw: string): string {
  const mime = raw.trim();
  if (isMediaMime(mime)) return mime;
  const shown = printable(new TextEncoder().encode(mime.slice(0, 60)));
  throw new UnsupportedMediaError(
    `"${shown}${mime.length > 60 ? "..." : ""}" is not a MIME type the server can pass on: ` +
      `send e.g. video/webm;codecs=vp8,opus (printable ASCII, at most ${MAX_MIME_BYTES} bytes)`,
  );
}

/**
 * The MIME type a PUT's Content-Type announces, or undefined when it names
 * no media type (curl's and ffmpeg's defaults are not media types; the
 * stream's own init segment decides then). An audio/ or video/ type that is
 * malformed is refused with UnsupportedMediaError like a bad `track-start`.
 */
export function uploadMime(contentType: string | null): string | undefined {
  if (contentType === null) return undefined;
  if (!/^\s*(video|audio)\//i.test(contentType)) return undefined;
  return announcedMime(contentType);
}

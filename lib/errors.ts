/**
 * Error types that decide what users see, and the one mapper that turns any
 * thrown value into an HTTP status or a WebSocket close. Every message here is
 * shown to the user as is, so it says what went wrong and what to do; anything
 * that is not one of these types is a bug: 500/1011 with a generic message,
 * and the mapper logs it when given a logger.
 *
 * Pure (no Deno APIs): lib/protocol.ts imports this module and is bundled for
 * the browser.
 */
import type { Logger } from "./log.ts";

/**
 * WebSocket close codes used by Chalkcast. 1000-1013 are RFC 6455 codes;
 * 4000-4099 are hub decisions; 4400-4599 mirror an HTTP status (4000 + status)
 * so a client can tell "wrong key" from "room full" without parsing reasons.
 */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  policy: 1008,
  tooBig: 1009,
  internal: 1011,
  tryAgainLater: 1013,
  roomEnded: 4000,
  tooSlow: 4001,
  replaced: 4002,
  timeout: 4003,
  /** A viewer's media lane that a newer lane of the same main connection replaced. */
  laneReplaced: 4009,
} as const;

/** A close frame: what `WebSocket.close(code, reason)` takes. */
export interface WsClose {
  code: number;
  reason: string;
}

/** Base of every expected error: carries an HTTP status and a short machine code. */
export abstract class AppError extends Error {
  abstract readonly status: number;
  /** Stable, lowercase code for clients (the `code` of a protocol `error` message). */
  abstract readonly code: string;
}

/** Bad input from a person (a form, a query string): 400. */
export class UserError extends AppError {
  override name = "UserError";
  readonly status = 400;
  readonly code = "bad-request";
}

/** Missing or wrong room key: 401. */
export class AuthError extends AppError {
  override name = "AuthError";
  readonly status = 401;
  readonly code = "auth";
}

/** No such room (or it ended): 404. */
export class NotFoundError extends AppError {
  override name = "NotFoundError";
  readonly status = 404;
  readonly code = "not-found";
}

/** The thing is taken, e.g. a track that already has a publisher: 409. */
export class ConflictError extends AppError {
  override name = "ConflictError";
  readonly status = 409;
  readonly code = "conflict";
}

/** Allowed in general but not for this participant, e.g. chat while muted: 403. */
export class ForbiddenError extends AppError {
  override name = "ForbiddenError";
  readonly status = 403;
  readonly code = "forbidden";
}

/** A body or upload over its limit: 413. */
export class TooLargeError extends AppError {
  override name = "TooLargeError";
  readonly status = 413;
  readonly code = "too-large";
}

/** Too many requests in a short time (e.g. chat messages): 429, retry after a moment. */
export class RateLimitError extends AppError {
  override name = "RateLimitError";
  readonly status = 429;
  readonly code = "rate-limited";
  /** Seconds until a retry may pass: HTTP sends it as `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A container or codec the server cannot handle: 415. */
export class UnsupportedMediaError extends AppError {
  override name = "UnsupportedMediaError";
  readonly status = 415;
  readonly code = "unsupported-media";
}

/** A server limit is reached (rooms, viewers): 503, worth retrying later. */
export class CapacityError extends AppError {
  override name = "CapacityError";
  readonly status = 503;
  readonly code = "capacity";
}

/**
 * A client sent a message that breaks the protocol: 400 over HTTP, close 1008
 * over WebSocket, or 1003 when the frame kind itself is wrong (text where
 * binary was expected).
 */
export class ProtocolError extends AppError {
  override name = "ProtocolError";
  readonly status = 400;
  readonly code = "protocol";
  readonly wsCode: number;
  constructor(message: string, options: { unsupportedData?: boolean } = {}) {
    super(message);
    this.wsCode = options.unsupportedData ? CLOSE.unsupportedData : CLOSE.policy;
  }
}

const INTERNAL_MESSAGE = "internal error; the server logged the details";

/** What an HTTP response or a protocol `error` message should say about `err`. */
export interface HttpError {
  status: number;
  code: string;
  message: string;
}

/**
 * Maps any thrown value to an HTTP status, a client code and a user-facing
 * message. Unknown errors become 500 with a generic message and are logged
 * (with their stack) when `log` is given.
 */
export function toHttpStatus(err: unknown, log?: Pick<Logger, "error">): HttpError {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message };
  log?.error(`unhandled error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  return { status: 500, code: "internal", message: INTERNAL_MESSAGE };
}

/**
 * Maps any thrown value to a WebSocket close frame. ProtocolError → 1008/1003,
 * CapacityError → 1013 (try again later), other AppErrors → 4000 + HTTP status,
 * unknown → 1011 (logged when `log` is given). The reason is cut to the
 * 123 bytes a close frame allows.
 */
export function toWsClose(err: unknown, log?: Pick<Logger, "error">): WsClose {
  const { status, message } = toHttpStatus(err, log);
  let code: number = CLOSE.internal;
  if (err instanceof ProtocolError) code = err.wsCode;
  else if (err instanceof CapacityError) code = CLOSE.tryAgainLater;
  else if (err instanceof AppError) code = 4000 + status;
  return { code, reason: truncateUtf8(message, 123) };
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).byteLength <= maxBytes) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const size = encoder.encode(ch).byteLength;
    if (used + size > maxBytes - 3) break;
    out += ch;
    used += size;
  }
  return out + "...";
}

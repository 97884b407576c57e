/**
 * The one place a thrown error becomes an HTTP response, via lib/errors.ts:
 * expected errors say what to do; anything unknown is a logged 500.
 */
import { RateLimitError, toHttpStatus } from "../errors.ts";
import type { Logger } from "../log.ts";

export function errorResponse(err: unknown, log: Logger): Response {
  const { status, code, message } = toHttpStatus(err, log);
  const res = jsonError(status, code, message);
  if (err instanceof RateLimitError && err.retryAfterSeconds !== undefined) {
    res.headers.set("retry-after", String(err.retryAfterSeconds));
  }
  return res;
}

/** The API's error body, `{"error": message, "code": code}`, for errors made without a throw. */
export function jsonError(
  status: number,
  code: string,
  message: string,
  headers?: HeadersInit,
): Response {
  const res = Response.json({ error: message, code }, { status, headers });
  res.headers.set("cache-control", "no-store");
  return res;
}

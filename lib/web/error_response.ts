/**
 * The one place a thrown error becomes an HTTP response, via lib/errors.ts:
 * expected errors say what to do; anything unknown is a logged 500.
 */
import { toHttpStatus } from "../errors.ts";
import type { Logger } from "../log.ts";

export function errorResponse(err: unknown, log: Logger): Response {
  const { status, code, message } = toHttpStatus(err, log);
  return Response.json({ error: message, code }, { status });
}

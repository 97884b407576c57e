/**
 * The one place a thrown error becomes an HTTP response: errors that carry a
 * status (see lib/errors.ts) say what to do; anything unknown is a 500 and is
 * logged with its stack.
 */
import type { Logger } from "../log.ts";

export function errorResponse(err: unknown, log: Logger): Response {
  const status = typeof (err as { status?: unknown })?.status === "number"
    ? (err as { status: number }).status
    : 500;
  let message = "internal error; the server logged the details";
  if (status >= 500 && status !== 503) {
    log.error(`unhandled error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  } else {
    message = err instanceof Error ? err.message : String(err);
  }
  return Response.json({ error: message }, { status });
}

/**
 * The operator's `--admin-token`: `Authorization: Bearer TOKEN` may end any
 * room and list every room. Without the flag the admin API does not exist
 * (404), so there is no token to guess. Compared in constant time.
 */
import type { Config } from "../config.ts";
import { AuthError, NotFoundError } from "../errors.ts";
import { constantTimeEqual } from "../hub/secret.ts";

function bearer(req: Request): string | null {
  const m = (req.headers.get("authorization") ?? "").match(/^Bearer\s+(\S+)\s*$/i);
  return m ? m[1] : null;
}

/** True when the server has an admin token and `req` carries it. */
export function isAdmin(req: Request, config: Pick<Config, "adminToken">): boolean {
  const token = config.adminToken;
  const given = bearer(req);
  return token !== undefined && given !== null && constantTimeEqual(given, token);
}

/** For admin-only endpoints: 404 without `--admin-token`, 401 without the right token. */
export function requireAdmin(req: Request, config: Pick<Config, "adminToken">): void {
  if (config.adminToken === undefined) {
    throw new NotFoundError("no admin API on this server; start it with --admin-token to have one");
  }
  if (!isAdmin(req, config)) {
    throw new AuthError("send the server's admin token as `Authorization: Bearer TOKEN`");
  }
}

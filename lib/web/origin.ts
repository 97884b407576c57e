/**
 * Cross-site request refusal. A page on another site can make a browser
 * send POST/PUT/PATCH/DELETE (a "simple" text/plain POST needs no CORS
 * preflight) and open WebSockets (never subject to CORS at all), with the
 * user's network position. Browsers always say where such a request comes
 * from in `Origin`, so every state-changing request and every WebSocket
 * upgrade must come from our own origin or one the operator listed in
 * `--allowed-origins`. Requests without `Origin` (curl, ffmpeg, scripts) are
 * not from a web page and pass. Pure.
 */

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface OriginPolicy {
  /** Extra origins, normalised (`https://host[:port]`, see parseOrigin in lib/config.ts). */
  allowed: readonly string[];
  /** Behind a reverse proxy: our origin is X-Forwarded-Proto + X-Forwarded-Host. */
  trustProxy: boolean;
}

/** Whether the browser-origin check applies: state-changing methods and WebSocket upgrades. */
export function needsOriginCheck(req: Request): boolean {
  return STATE_CHANGING.has(req.method) ||
    req.headers.get("upgrade")?.toLowerCase() === "websocket";
}

/**
 * The origin the browser sees this server under: scheme of the request (or,
 * behind a trusted proxy, `X-Forwarded-Proto`) and its `Host` (or
 * `X-Forwarded-Host`), port included. Null when the host is malformed.
 */
export function ownOrigin(req: Request, trustProxy: boolean): string | null {
  const url = new URL(req.url);
  const first = (name: string) => req.headers.get(name)?.split(",")[0].trim() || undefined;
  let scheme = url.protocol.slice(0, -1);
  let host = req.headers.get("host") ?? url.host;
  if (trustProxy) {
    const proto = first("x-forwarded-proto")?.toLowerCase();
    if (proto === "http" || proto === "https") scheme = proto;
    host = first("x-forwarded-host") ?? host;
  }
  if (!/^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return null;
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}

/** Null when `req` may go on; else the reason it is refused (403). */
export function originRefusal(req: Request, policy: OriginPolicy): string | null {
  if (!needsOriginCheck(req)) return null;
  const origin = req.headers.get("origin");
  if (origin === null) return null;
  if (policy.allowed.includes(origin)) return null;
  const own = ownOrigin(req, policy.trustProxy);
  if (own !== null && origin === own) return null;
  const from = origin.slice(0, 100);
  return `pages on ${from} may not use this server; open Chalkcast from ${
    own ?? "its own address"
  }, or list that origin in the server's --allowed-origins`;
}

/**
 * Who a request comes from, for the per-client limits: the socket's remote
 * address, or behind `--trust-proxy` the address the proxy saw. Pure.
 *
 * With `--trust-proxy` the direct peer is our own reverse proxy, which
 * appends the address it saw to `X-Forwarded-For`; everything to the left of
 * that last entry came from the client and can be forged, so only the
 * rightmost entry (the first hop we did not write ourselves) counts.
 * IPv6 clients are keyed by their /64: one home or phone gets a whole /64,
 * so per-address limits would be trivial to step around.
 */

/** The client key for `req`: an IPv4 address, an IPv6 /64 ("2001:db8:1:2::/64"), or "unknown". */
export function clientAddress(
  req: Request,
  remote: Deno.NetAddr | null,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const forwarded = req.headers.get("x-forwarded-for");
    const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).pop();
    const ip = last === undefined ? null : parseIp(last);
    if (ip !== null) return clientKey(ip);
  }
  const ip = remote ? parseIp(remote.hostname) : null;
  return ip === null ? "unknown" : clientKey(ip);
}

/** A bare IPv4 or IPv6 address from "1.2.3.4", "1.2.3.4:5678", "[::1]:80", "::1"; null otherwise. */
export function parseIp(raw: string): string | null {
  let text = raw.trim();
  const bracketed = text.match(/^\[([0-9A-Fa-f:.]+)\](?::\d+)?$/);
  if (bracketed) text = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    return text.split(".").every((p) => Number(p) <= 255)
      ? text.split(".").map(Number).join(".")
      : null;
  }
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(":")) return null;
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

function clientKey(ip: string): string {
  if (!ip.includes(":")) return ip;
  const mapped = ip.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i) ??
    ip.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i);
  if (mapped && mapped.length === 2) return mapped[1];
  if (mapped && mapped.length === 3) {
    const hi = parseInt(mapped[1], 16);
    const lo = parseInt(mapped[2], 16);
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
  }
  if (ip === "::1") return ip;
  return `${expandIpv6(ip).slice(0, 4).join(":")}::/64`;
}

/** The eight hextets of a canonical IPv6 address, without leading zeros. */
function expandIpv6(ip: string): string[] {
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...fill, ...right].map((h) => parseInt(h, 16).toString(16));
}

/** True for a client key on this machine: 127.0.0.0/8 or ::1. */
export function isLoopback(client: string): boolean {
  return client.startsWith("127.") || client === "::1";
}

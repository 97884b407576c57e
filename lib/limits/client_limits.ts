/**
 * The per-client abuse limits of one server (see ClientLimits in
 * lib/config.ts): one visit to a hostile page, or one script, must not be
 * able to use up the rooms, the upload capacity or the sockets of everyone
 * else. Routes call these with `ctx.client`; a refusal is a RateLimitError,
 * i.e. 429 with `Retry-After`.
 *
 * Clients on this machine (loopback) are exempt from the per-client limits:
 * they are the operator's own scripts and load tests, and hostile pages are
 * already stopped by the origin check. (Behind a reverse proxy on the same
 * machine, --trust-proxy makes the real client count.)
 */
import type { ClientLimits as Limits } from "../config.ts";
import { ClientBuckets } from "./client_buckets.ts";
import { PendingSockets } from "./pending_sockets.ts";
import { isLoopback } from "../web/client.ts";

const MINUTE_MS = 60_000;

export class ClientLimiters {
  /** POST /api/rooms. */
  readonly rooms: ClientBuckets;
  /** PUT /ingest/:id/:track and PUT /api/rooms/:id/snapshot. */
  readonly uploads: ClientBuckets;
  /** GET /api/probe: each answer is up to 256 KiB of the server's bandwidth. */
  readonly probes: ClientBuckets;
  /** WebSockets before their hello. */
  readonly pending: PendingSockets;

  constructor(readonly limits: Limits, now: () => number) {
    this.rooms = new ClientBuckets({
      what: "new rooms",
      capacity: limits.roomsPerMinute,
      windowMs: MINUTE_MS,
      now,
      exempt: isLoopback,
    });
    this.uploads = new ClientBuckets({
      what: "uploads",
      capacity: limits.uploadsPerMinute,
      windowMs: MINUTE_MS,
      now,
      exempt: isLoopback,
    });
    this.probes = new ClientBuckets({
      what: "bandwidth probes",
      capacity: limits.probesPerMinute,
      windowMs: MINUTE_MS,
      now,
      exempt: isLoopback,
    });
    this.pending = new PendingSockets({
      perClient: limits.pendingSocketsPerClient,
      total: limits.pendingSocketsTotal,
      exempt: isLoopback,
    });
  }
}

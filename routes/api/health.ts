import type { Handlers } from "../../lib/web/context.ts";

/** Liveness for load balancers and monitoring: always 200 while the server runs. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const { hub, version, now, startedAt } = ctx.state;
    return Response.json({
      status: "ok",
      version,
      uptimeSeconds: Math.floor((now() - startedAt) / 1000),
      rooms: hub.size,
      viewers: hub.rooms().reduce((n, room) => n + room.viewers, 0),
    }, { headers: { "cache-control": "no-store" } });
  },
};

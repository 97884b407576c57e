import assert from "node:assert/strict";
import { allowedMethods, buildRoutes, matchRoute, patternFor } from "./router.ts";
import type { RouteModule } from "./manifest.ts";

const page: RouteModule = { default: () => null };

Deno.test("patternFor() maps files to URL patterns and skips special files", () => {
  assert.equal(patternFor("./routes/index.tsx"), "/");
  assert.equal(patternFor("./routes/studio.tsx"), "/studio");
  assert.equal(patternFor("./routes/s/[id]/index.tsx"), "/s/:id");
  assert.equal(patternFor("./routes/s/[id]/[track]/live.ts"), "/s/:id/:track/live");
  assert.equal(
    patternFor("./routes/api/rooms/[id]/snapshot.jpg.ts"),
    "/api/rooms/:id/snapshot.jpg",
  );
  assert.equal(patternFor("./routes/docs/[...path].tsx"), "/docs/:path*");
  assert.equal(patternFor("./routes/_app.tsx"), null);
  assert.equal(patternFor("./routes/_404.tsx"), null);
});

Deno.test("matchRoute() extracts parameters", () => {
  const table = buildRoutes({
    "./routes/s/[id]/index.tsx": page,
    "./routes/s/[id]/[track]/live.ts": { handler: () => new Response() },
  });
  const m = matchRoute(table, "/s/abc123/camera/live");
  assert.equal(m.kind, "found");
  assert.deepEqual(m.kind === "found" && m.params, { id: "abc123", track: "camera" });
  const viewer = matchRoute(table, "/s/room-1");
  assert.deepEqual(viewer.kind === "found" && viewer.params, { id: "room-1" });
});

Deno.test("matchRoute() prefers static segments over parameters whatever the file order", () => {
  const table = buildRoutes({
    "./routes/api/rooms/[id].ts": { handler: () => new Response("param") },
    "./routes/api/rooms/new.ts": { handler: () => new Response("static") },
  });
  const m = matchRoute(table, "/api/rooms/new");
  assert.equal(m.kind === "found" && m.route.file, "./routes/api/rooms/new.ts");
  const p = matchRoute(table, "/api/rooms/other");
  assert.equal(p.kind === "found" && p.route.file, "./routes/api/rooms/[id].ts");
});

Deno.test("matchRoute() reports not-found for unknown paths", () => {
  const table = buildRoutes({ "./routes/index.tsx": page, "./routes/studio.tsx": page });
  assert.equal(matchRoute(table, "/nope").kind, "not-found");
  assert.equal(matchRoute(table, "/studio/extra").kind, "not-found");
});

Deno.test("allowedMethods() lists handler methods, and GET/HEAD for pages", () => {
  assert.deepEqual(allowedMethods(page), ["GET", "HEAD"]);
  assert.deepEqual(
    allowedMethods({ handler: { POST: () => new Response() } }),
    ["POST"],
  );
  assert.deepEqual(allowedMethods({ handler: () => new Response() }), ["*"]);
});

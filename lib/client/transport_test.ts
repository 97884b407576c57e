import { deepEqual, equal } from "node:assert/strict";
import { requestedTransport, roomStatus, SocketFallback } from "./transport.ts";

Deno.test("requestedTransport() reads ?transport=http, else the WebSocket", () => {
  equal(requestedTransport("?transport=http"), "http");
  equal(requestedTransport("?x=1&transport=http"), "http");
  equal(requestedTransport(""), "ws");
  equal(requestedTransport("?transport=carrier-pigeon"), "ws");
});

Deno.test("SocketFallback switches after two failed attempts of a socket that never opened", () => {
  const f = new SocketFallback();
  const refused = { code: 1006 };
  // What ProtocolSocket reports: a close, then the next attempt.
  equal(f.observe("connecting"), false);
  equal(f.observe("reconnecting", refused), false);
  equal(f.observe("reconnecting"), false);
  equal(f.observe("reconnecting", refused), true);
  equal(f.observe("reconnecting"), false);
  equal(f.observe("reconnecting", refused), false, "only once");
});

Deno.test("SocketFallback keeps a socket that once opened (a blip, not a blocked Upgrade)", () => {
  const f = new SocketFallback();
  f.observe("open");
  for (let i = 0; i < 5; i++) equal(f.observe("reconnecting", { code: 1006 }), false);
});

Deno.test("roomStatus() reads title, viewers and live; 404 is not-found; errors are null", async () => {
  const reply = (status: number, body: unknown) => () =>
    Promise.resolve(Response.json(body, { status }));
  deepEqual(await roomStatus(reply(200, { title: "Algebra", viewers: 3, live: true }), "r1"), {
    title: "Algebra",
    viewers: 3,
    live: true,
  });
  equal(await roomStatus(reply(404, {}), "r1"), "not-found");
  equal(await roomStatus(reply(503, {}), "r1"), null);
  equal(await roomStatus(() => Promise.reject(new TypeError("offline")), "r1"), null);
  const urls: string[] = [];
  await roomStatus((url) => (urls.push(url), Promise.resolve(Response.json({}))), "a b");
  deepEqual(urls, ["/api/rooms/a%20b"]);
});

/**
 * Pull mode over real HTTP against the real server: the routes, their
 * headers, long-polling the next piece, errors for bad URLs, the request
 * counter in /metrics, and a viewer socket that asks for no media.
 */
import assert from "node:assert/strict";
import { startTestServer } from "./server.ts";
import { createRoom, loadFixture, publish, Recorder, replay, watch } from "./ws_clients.ts";
import { encodeClient, PROTOCOL_VERSION } from "../lib/protocol.ts";

Deno.test("pull mode over HTTP: index, init, pieces, the long-polled next one, errors, metrics", async () => {
  const server = await startTestServer();
  const get = (path: string) => fetch(server.origin + path);
  try {
    const fixture = await loadFixture("vp8-opus.webm");
    const { id, key } = await createRoom(server.origin);
    const notYet = await get(`/s/${id}/camera/segments`);
    assert.equal(notYet.status, 404, "no such track yet");
    await notYet.body?.cancel();

    const publisher = await publish(server.origin, id, key);
    await publisher.until(() => publisher.messages.some((m) => m.type === "welcome"));
    let sent = 0;
    const publishing = replay(publisher, "camera", fixture, { onChunk: () => void sent++ });
    while (sent < 5) await new Promise((r) => setTimeout(r, 20));

    const res = await get(`/s/${id}/camera/segments`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "public, max-age=1");
    const index = await res.json();
    assert.ok(index.segments.length >= 1);
    assert.equal(index.init, `/s/${id}/camera/g/${index.generation}/init`);

    const init = await get(index.init);
    assert.equal(init.status, 200);
    assert.match(init.headers.get("content-type") ?? "", /^video\/webm; ?codecs=/);
    assert.equal(init.headers.get("cache-control"), "public, max-age=31536000, immutable");
    await init.body?.cancel();

    // The next piece does not exist yet: the request waits for it, then answers 200.
    const next = await get(`/s/${id}/camera/g/${index.generation}/${index.next}`);
    assert.equal(next.status, 200);
    assert.equal(next.headers.get("etag"), `"g${index.generation}-${index.next}"`);
    assert.ok((await next.bytes()).byteLength > 0);

    const bad = await get(`/s/${id}/camera/g/${index.generation}/x1`);
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error, /whole number/);
    const noRoom = await get(`/s/nosuchroom/camera/segments`);
    assert.equal(noRoom.status, 404);
    await noRoom.body?.cancel();

    const metrics = await (await get("/metrics")).text();
    assert.match(metrics, /^chalkcast_segment_requests_total\{kind="index"\} [1-9]/m);
    assert.match(metrics, /^chalkcast_segment_requests_total\{kind="init"\} 1$/m);
    assert.match(metrics, /^chalkcast_segment_requests_total\{kind="piece"\} 2$/m);

    // A pull-mode viewer's socket gets state and chat but no media; a usual one gets media.
    const usual = await watch(server.origin, id);
    const ws = new WebSocket(`${server.origin.replace(/^http/, "ws")}/api/rooms/${id}/watch`);
    ws.binaryType = "arraybuffer";
    await new Promise((resolve) => (ws.onopen = resolve));
    const pulling = new Recorder(ws);
    ws.send(
      encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "viewer", room: id, tracks: [] }),
    );
    await pulling.until(() => pulling.messages.some((m) => m.type === "state"), 10_000, "state");
    // An older client says `media: false`: the same as `tracks: []`.
    const oldWs = new WebSocket(`${server.origin.replace(/^http/, "ws")}/api/rooms/${id}/watch`);
    oldWs.binaryType = "arraybuffer";
    await new Promise((resolve) => (oldWs.onopen = resolve));
    const older = new Recorder(oldWs);
    oldWs.send(
      JSON.stringify({
        type: "hello",
        v: PROTOCOL_VERSION,
        role: "viewer",
        room: id,
        media: false,
      }),
    );
    await older.until(() => older.messages.some((m) => m.type === "state"), 10_000, "state");
    await usual.until(() => usual.frames.filter((f) => f.kind === "media").length >= 3);
    assert.equal(pulling.frames.length, 0, "no media frames for a pull-mode viewer");
    assert.equal(older.frames.length, 0, "nor for an older client's media: false");
    await older.close();
    await usual.close();
    await pulling.close();
    await publishing;
    await publisher.close();
  } finally {
    await server.close();
  }
});

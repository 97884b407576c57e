/**
 * The REST API and metrics over real sockets (docs/api.md): health, the room
 * list and detail, rename and end with the key, snapshots, /metrics, and the
 * room cap and idle TTL. Live rooms come from a publisher socket replaying a
 * Chromium recording.
 */
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "./server.ts";
import { createRoom, loadFixture, publish, type Recorder, replay, watch } from "./ws_clients.ts";

/** A minimal JPEG-looking body: the server checks the FF D8 FF start and the size only. */
const JPEG = new Uint8Array([
  0xff,
  0xd8,
  0xff,
  0xe0,
  0,
  16,
  0x4a,
  0x46,
  0x49,
  0x46,
  0,
  1,
  0xff,
  0xd9,
]);

function call(
  server: TestServer,
  method: string,
  path: string,
  options: { key?: string; body?: BodyInit; type?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.type) headers["content-type"] = options.type;
  return fetch(`${server.origin}${path}`, { method, headers, body: options.body });
}

async function errorOf(res: Response): Promise<string> {
  const body = await res.json();
  assert.equal(typeof body.error, "string", JSON.stringify(body));
  return body.error;
}

/** A room with a live camera track (a publisher that stays connected). */
async function liveRoom(server: TestServer, title = "Algebra"): Promise<{
  id: string;
  key: string;
  presenter: Recorder;
}> {
  const { id, key } = await createRoom(server.origin, title);
  const presenter = await publish(server.origin, id, key);
  await replay(presenter, "camera", await loadFixture("vp8-opus.webm"), { speed: Infinity });
  await presenter.until(
    () => server.state.hub.get(id).liveSince !== null,
    5000,
    "the room to go live",
  );
  return { id, key, presenter };
}

Deno.test("GET /api/health answers status, version, uptime, rooms and viewers", async () => {
  const server = await startTestServer();
  try {
    const { id } = await createRoom(server.origin);
    const viewer = await watch(server.origin, id);
    await viewer.until(() => viewer.messages.some((m) => m.type === "welcome"));
    const res = await call(server, "GET", "/api/health");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), [
      "rooms",
      "status",
      "uptimeSeconds",
      "version",
      "viewers",
    ]);
    assert.equal(body.status, "ok");
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.ok(Number.isInteger(body.uptimeSeconds) && body.uptimeSeconds >= 0);
    assert.equal(body.rooms, 1);
    assert.equal(body.viewers, 1);
    await viewer.close();
  } finally {
    await server.close();
  }
});

Deno.test("GET /api/rooms lists live rooms only; GET /api/rooms/:id has per-track figures", async () => {
  const server = await startTestServer();
  try {
    await createRoom(server.origin, "Not live");
    const empty = await (await call(server, "GET", "/api/rooms")).json();
    assert.deepEqual(empty, { rooms: [] });
    const { id, presenter } = await liveRoom(server, "Algebra");
    const viewer = await watch(server.origin, id);
    await viewer.until(() => viewer.frames.length > 0, 5000, "media");

    const list = await (await call(server, "GET", "/api/rooms")).json();
    assert.equal(list.rooms.length, 1);
    const summary = list.rooms[0];
    assert.equal(summary.id, id);
    assert.equal(summary.title, "Algebra");
    assert.equal(summary.live, true);
    assert.equal(summary.viewers, 1);
    assert.equal(typeof summary.liveSince, "number");
    assert.ok(summary.liveForSeconds >= 0);
    assert.equal(summary.viewerUrl, `${server.origin}/s/${id}`);
    assert.equal(summary.thumbnailUrl, null);
    assert.equal("key" in summary, false, "the key is never listed");

    const res = await call(server, "GET", `/api/rooms/${id}`);
    assert.equal(res.status, 200);
    const detail = await res.json();
    assert.equal(detail.title, "Algebra");
    assert.equal(detail.liveSince, summary.liveSince);
    assert.equal(detail.publishers, 1);
    const [camera] = detail.tracks;
    assert.equal(camera.name, "camera");
    assert.match(camera.mime, /^video\/webm; codecs="vp8,opus"$/i);
    assert.ok(camera.bitrate > 0, "bitrate");
    assert.equal(typeof camera.bufferedSeconds, "number");
    assert.ok(camera.keyframeIntervalMs === null || camera.keyframeIntervalMs > 0);
    assert.equal(camera.viewers, 1);
    assert.ok(camera.bytesIn > 0 && camera.bytesOut > 0);

    const missing = await call(server, "GET", "/api/rooms/nosuchroom");
    assert.equal(missing.status, 404);
    assert.match(await errorOf(missing), /no such room/);
    await viewer.close();
    await presenter.close();
  } finally {
    await server.close();
  }
});

Deno.test("PATCH /api/rooms/:id renames with the key; connections see the new title", async () => {
  const server = await startTestServer();
  try {
    const { id, key } = await createRoom(server.origin, "Algebra");
    const viewer = await watch(server.origin, id);
    await viewer.until(() => viewer.messages.some((m) => m.type === "state"));
    const patch = (options: Parameters<typeof call>[3]) =>
      call(server, "PATCH", `/api/rooms/${id}`, options);

    const noKey = await patch({ body: '{"title":"X"}' });
    assert.equal(noKey.status, 401);
    assert.match(await errorOf(noKey), /Bearer/);
    const wrongKey = await patch({ key: "wrong-key", body: '{"title":"X"}' });
    assert.equal(wrongKey.status, 401);
    assert.match(await errorOf(wrongKey), /wrong room key/);

    for (
      const [body, message] of [
        ["not json", /not valid JSON/],
        ["[1]", /JSON object/],
        ['{"title": 42}', /"title" must be a string/],
        ["{}", /send the new title/],
        [JSON.stringify({ title: "x".repeat(201) }), /at most 200 characters/],
      ] as const
    ) {
      const res = await patch({ key, body });
      assert.equal(res.status, 400, body);
      assert.match(await errorOf(res), message);
    }
    assert.equal(server.state.hub.get(id).title, "Algebra", "nothing changed so far");

    const ok = await patch({ key, body: '{"title":"  Geometry  "}', type: "application/json" });
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).title, "Geometry");
    const detail = await (await call(server, "GET", `/api/rooms/${id}`)).json();
    assert.equal(detail.title, "Geometry");
    await viewer.until(
      () => viewer.messages.some((m) => m.type === "state" && m.title === "Geometry"),
      3000,
      "a state with the new title",
    );
    const missing = await call(server, "PATCH", "/api/rooms/nosuchroom", { key, body: "{}" });
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    await viewer.close();
  } finally {
    await server.close();
  }
});

Deno.test("DELETE /api/rooms/:id needs the key, ends the room and tells viewers", async () => {
  const server = await startTestServer();
  try {
    const { id, key, presenter } = await liveRoom(server);
    const viewer = await watch(server.origin, id);
    await viewer.until(() => viewer.messages.some((m) => m.type === "welcome"));

    const noKey = await call(server, "DELETE", `/api/rooms/${id}`);
    assert.equal(noKey.status, 401);
    await noKey.body?.cancel();
    const wrongKey = await call(server, "DELETE", `/api/rooms/${id}`, { key: "nope" });
    assert.equal(wrongKey.status, 401);
    await wrongKey.body?.cancel();
    assert.ok(server.state.hub.find(id), "still there after wrong keys");

    const res = await call(server, "DELETE", `/api/rooms/${id}`, { key });
    assert.equal(res.status, 204);
    const closed = await viewer.closed;
    assert.equal(closed.code, 4000);
    const ended = viewer.messages.find((m) => m.type === "ended");
    assert.deepEqual(ended, { type: "ended", reason: "the presenter ended this session" });
    assert.equal((await presenter.closed).code, 4000);
    const gone = await call(server, "GET", `/api/rooms/${id}`);
    assert.equal(gone.status, 404);
    await gone.body?.cancel();
    const again = await call(server, "DELETE", `/api/rooms/${id}`, { key });
    assert.equal(again.status, 404);
    await again.body?.cancel();
    assert.deepEqual(await (await call(server, "GET", "/api/rooms")).json(), { rooms: [] });
  } finally {
    await server.close();
  }
});

Deno.test("snapshots: PUT with the key, bounded and JPEG only; GET serves the latest with ETag", async () => {
  const server = await startTestServer();
  try {
    const { id, key, presenter } = await liveRoom(server);
    const path = `/api/rooms/${id}/snapshot`;
    const none = await call(server, "GET", `${path}.jpg`);
    assert.equal(none.status, 404);
    assert.match(await errorOf(none), /no snapshot yet/);

    const noKey = await call(server, "PUT", path, { body: JPEG, type: "image/jpeg" });
    assert.equal(noKey.status, 401);
    await noKey.body?.cancel();
    const wrongKey = await call(server, "PUT", path, {
      key: "nope",
      body: JPEG,
      type: "image/jpeg",
    });
    assert.equal(wrongKey.status, 401);
    await wrongKey.body?.cancel();

    const big = new Uint8Array(256 * 1024 + 1);
    big.set([0xff, 0xd8, 0xff]);
    const tooBig = await call(server, "PUT", path, { key, body: big, type: "image/jpeg" });
    assert.equal(tooBig.status, 413);
    assert.match(await errorOf(tooBig), /at most 256 KiB/);
    // Without a Content-Length (a stream), the limit holds while reading.
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(big.subarray(0, 200_000));
        c.enqueue(big.subarray(200_000));
        c.close();
      },
    });
    const tooBigStream = await call(server, "PUT", path, { key, body: stream, type: "image/jpeg" });
    assert.equal(tooBigStream.status, 413);
    await tooBigStream.body?.cancel();

    const png = await call(server, "PUT", path, { key, body: JPEG, type: "image/png" });
    assert.equal(png.status, 415);
    assert.match(await errorOf(png), /image\/jpeg/);
    const notJpeg = await call(server, "PUT", path, {
      key,
      body: new TextEncoder().encode("<svg/>"),
      type: "image/jpeg",
    });
    assert.equal(notJpeg.status, 415);
    assert.match(await errorOf(notJpeg), /FF D8 FF/);
    const empty = await call(server, "PUT", path, {
      key,
      body: new Uint8Array(0),
      type: "image/jpeg",
    });
    assert.equal(empty.status, 400);
    await empty.body?.cancel();

    const put = await call(server, "PUT", path, { key, body: JPEG, type: "image/jpeg" });
    assert.equal(put.status, 204);
    const res = await call(server, "GET", `${path}.jpg`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/jpeg");
    assert.equal(res.headers.get("cache-control"), "no-cache");
    const etag = res.headers.get("etag")!;
    assert.match(etag, /^"[0-9a-f]+"$/);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), JPEG);
    const cached = await call(server, "GET", `${path}.jpg`, { headers: { "if-none-match": etag } });
    assert.equal(cached.status, 304);
    await cached.body?.cancel();

    // A sniffed JPEG without a Content-Type is fine; a new image gets a new ETag and URL.
    const other = JPEG.slice();
    other[5] = 17;
    const sniffed = await call(server, "PUT", path, { key, body: other });
    assert.equal(sniffed.status, 204);
    const next = await call(server, "GET", `${path}.jpg`, { headers: { "if-none-match": etag } });
    assert.equal(next.status, 200);
    assert.notEqual(next.headers.get("etag"), etag);
    await next.body?.cancel();
    const [summary] = (await (await call(server, "GET", "/api/rooms")).json()).rooms;
    assert.match(
      summary.thumbnailUrl,
      new RegExp(`^${server.origin}/api/rooms/${id}/snapshot\\.jpg\\?v=`),
    );
    const thumb = await fetch(summary.thumbnailUrl);
    assert.equal(thumb.status, 200);
    await thumb.body?.cancel();

    const noRoom = await call(server, "PUT", "/api/rooms/nosuchroom/snapshot", { key, body: JPEG });
    assert.equal(noRoom.status, 404);
    await noRoom.body?.cancel();
    await presenter.close();
  } finally {
    await server.close();
  }
});

Deno.test("GET /metrics speaks the Prometheus text format with rooms, viewers, bytes, chat and rejections", async () => {
  const server = await startTestServer();
  try {
    const { id, key, presenter } = await liveRoom(server);
    const viewer = await watch(server.origin, id);
    await viewer.until(() => viewer.frames.length > 0, 5000, "media");
    viewer.ws.send(JSON.stringify({ type: "chat", text: "hello" }));
    await viewer.until(() => viewer.messages.some((m) => m.type === "chat"));
    viewer.ws.send(JSON.stringify({ type: "chat", text: "  " }));
    await viewer.until(() => viewer.messages.some((m) => m.type === "error"));
    const wrongKey = await call(server, "DELETE", `/api/rooms/${id}`, { key: "nope" });
    await wrongKey.body?.cancel();

    const res = await call(server, "GET", "/metrics");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      assert.ok(line, `${series} in:\n${text}`);
      return Number(line.slice(series.length + 1));
    };
    assert.match(text, /^# HELP chalkcast_rooms /m);
    assert.match(text, /^# TYPE chalkcast_rooms gauge$/m);
    assert.match(text, /^# TYPE chalkcast_chat_messages_total counter$/m);
    assert.equal(value("chalkcast_rooms"), 1);
    assert.equal(value("chalkcast_rooms_live"), 1);
    assert.equal(value("chalkcast_viewers"), 1);
    assert.equal(value("chalkcast_publishers"), 1);
    assert.equal(value(`chalkcast_room_viewers{room="${id}"}`), 1);
    const bytesIn = value(`chalkcast_track_bytes_in_total{room="${id}",track="camera"}`);
    const bytesOut = value(`chalkcast_track_bytes_out_total{room="${id}",track="camera"}`);
    assert.ok(bytesIn > 0 && bytesOut > 0);
    assert.equal(value(`chalkcast_track_segments_skipped_total{room="${id}",track="camera"}`), 0);
    assert.equal(value("chalkcast_bytes_in_total"), bytesIn);
    assert.equal(value("chalkcast_segments_skipped_total"), 0);
    assert.equal(value("chalkcast_chat_messages_total"), 1);
    assert.equal(value('chalkcast_rejected_requests_total{reason="auth",transport="http"}'), 1);
    assert.equal(
      value('chalkcast_rejected_requests_total{reason="bad-request",transport="ws"}'),
      1,
    );
    for (const line of text.trimEnd().split("\n")) {
      assert.match(
        line,
        /^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.e+]+|\w+(\{[^}]*\})? NaN)$/,
        line,
      );
    }

    // Server-wide totals outlive the room; its per-room series go with it.
    await call(server, "DELETE", `/api/rooms/${id}`, { key }).then((r) => r.body?.cancel());
    await presenter.closed;
    const after = await (await call(server, "GET", "/metrics")).text();
    assert.match(after, new RegExp(`^chalkcast_bytes_in_total ${bytesIn}$`, "m"));
    assert.match(after, /^chalkcast_rooms 0$/m);
    assert.match(after, /^chalkcast_chat_messages_total 1$/m);
    assert.doesNotMatch(after, new RegExp(`room="${id}"`));
  } finally {
    await server.close();
  }
});

Deno.test("the room cap answers 503 with a message; a freed slot can be used again", async () => {
  const server = await startTestServer({ maxRooms: 2 });
  try {
    const a = await createRoom(server.origin);
    await createRoom(server.origin);
    const full = await call(server, "POST", "/api/rooms", { body: "{}" });
    assert.equal(full.status, 503);
    assert.match(await errorOf(full), /already has 2 rooms.*--max-rooms/);
    await call(server, "DELETE", `/api/rooms/${a.id}`, { key: a.key }).then((r) =>
      r.body?.cancel()
    );
    const again = await call(server, "POST", "/api/rooms", { body: "{}" });
    assert.equal(again.status, 201);
    await again.body?.cancel();
    const metrics = await (await call(server, "GET", "/metrics")).text();
    assert.match(
      metrics,
      /^chalkcast_rejected_requests_total\{reason="capacity",transport="http"\} 1$/m,
    );
  } finally {
    await server.close();
  }
});

Deno.test("a room with no publisher and no viewer expires after --room-ttl; a watched one stays", async () => {
  let now = 0;
  const server = await startTestServer({ roomTtlSeconds: 60 }, { now: () => now });
  try {
    const idle = await createRoom(server.origin, "Idle");
    const watched = await createRoom(server.origin, "Watched");
    const viewer = await watch(server.origin, watched.id);
    await viewer.until(() => viewer.messages.some((m) => m.type === "welcome"));
    now += 59_000;
    server.state.hub.sweep(); // what the server's timer does every 30 s
    assert.equal((await call(server, "GET", `/api/rooms/${idle.id}`)).status, 200);
    now += 1_000;
    server.state.hub.sweep();
    const gone = await call(server, "GET", `/api/rooms/${idle.id}`);
    assert.equal(gone.status, 404);
    assert.match(await errorOf(gone), /no such room/);
    const kept = await call(server, "GET", `/api/rooms/${watched.id}`);
    assert.equal(kept.status, 200);
    await kept.body?.cancel();
    // Once its last viewer leaves, the watched room expires a TTL later too.
    await viewer.close();
    await viewer.until(() => server.state.hub.get(watched.id).viewers === 0);
    now += 60_000;
    server.state.hub.sweep();
    const later = await call(server, "GET", `/api/rooms/${watched.id}`);
    assert.equal(later.status, 404);
    await later.body?.cancel();
  } finally {
    await server.close();
  }
});

/**
 * Bad input gets a clear 4xx and loses nothing: wrong keys publish nothing,
 * broken media ends only that stream while the room keeps serving its last
 * good data, caps answer 503 with a message, and no amount of mutated or
 * truncated media takes the server down or leaves a publisher behind.
 */
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "./server.ts";
import { createRoom, loadFixture, publish, replay, tryUpgrade, watch } from "./ws_clients.ts";

const fixtureBytes = () =>
  Deno.readFile(new URL("./fixtures/chromium/vp8-opus.webm", import.meta.url));

function put(server: TestServer, path: string, body: BodyInit, key?: string) {
  return fetch(`${server.origin}${path}`, {
    method: "PUT",
    body,
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });
}

async function errorOf(res: Response): Promise<string> {
  const body = await res.json();
  assert.equal(typeof body.error, "string");
  return body.error;
}

Deno.test("PUT /ingest: missing or wrong key is 401 and publishes nothing", async () => {
  const server = await startTestServer();
  try {
    const { id } = await createRoom(server.origin);
    const bytes = await fixtureBytes();
    const missing = await put(server, `/ingest/${id}/camera`, bytes);
    assert.equal(missing.status, 401);
    assert.match(await errorOf(missing), /Authorization: Bearer/);
    const wrong = await put(server, `/ingest/${id}/camera`, bytes, "not-the-key");
    assert.equal(wrong.status, 401);
    assert.match(await errorOf(wrong), /wrong room key/);
    assert.equal(server.state.hub.get(id).track("camera"), undefined);
  } finally {
    await server.close();
  }
});

Deno.test("unknown rooms and tracks are 404 with a hint, a WebSocket to one too (before the upgrade)", async () => {
  const server = await startTestServer();
  try {
    const { id, key } = await createRoom(server.origin);
    const noRoom = await put(server, "/ingest/nosuchroom/camera", await fixtureBytes(), key);
    assert.equal(noRoom.status, 404);
    assert.match(await errorOf(noRoom), /no such room/);
    const noTrack = await fetch(`${server.origin}/s/${id}/camera/live`);
    assert.equal(noTrack.status, 404);
    assert.match(await errorOf(noTrack), /no track "camera"/);
    for (const endpoint of ["watch", "publish"]) {
      const socket = await tryUpgrade(server.origin, `/api/rooms/nosuchroom/${endpoint}`);
      assert.equal(socket.status, 404);
      assert.equal(socket.body?.code, "not-found");
      assert.match(socket.body?.error ?? "", /no such room/);
    }
    const presenter = await publish(server.origin, id, "wrong");
    assert.equal((await presenter.closed).code, 4401);
  } finally {
    await server.close();
  }
});

Deno.test("a second publisher on a live track gets 409", async () => {
  const server = await startTestServer();
  try {
    const { id, key } = await createRoom(server.origin);
    const presenter = await publish(server.origin, id, key);
    const fixture = await loadFixture("vp8-opus.webm");
    await replay(presenter, "camera", { ...fixture, chunks: fixture.chunks.slice(0, 10) }, {
      speed: Infinity,
    });
    await presenter.until(
      () => server.state.hub.get(id).track("camera")?.live === true,
      5000,
      "live",
    );
    const second = await put(server, `/ingest/${id}/camera`, fixture.bytes.slice(), key);
    assert.equal(second.status, 409);
    assert.equal(
      await errorOf(second),
      'track "camera" already has a publisher; stop the other tab or device, or retry in a few seconds',
    );
    await presenter.close();
  } finally {
    await server.close();
  }
});

Deno.test("media that is not WebM or MP4 is 415; media that breaks mid-stream is 400 and the room keeps its last good data", async () => {
  const server = await startTestServer();
  try {
    const { id, key } = await createRoom(server.origin);
    const garbage = await put(
      server,
      `/ingest/${id}/camera`,
      new TextEncoder().encode("hello, this is not video"),
      key,
    );
    assert.equal(garbage.status, 415);
    assert.match(await errorOf(garbage), /not WebM or fragmented MP4/);

    const good = await fixtureBytes();
    const broken = new Uint8Array(good.length + 64);
    broken.set(good);
    broken.fill(0xff, good.length); // an invalid element ID after the last good cluster
    const res = await put(server, `/ingest/${id}/camera`, broken, key);
    assert.equal(res.status, 400);
    assert.match(await errorOf(res), /bad media after \d+ bytes/);

    const room = server.state.hub.get(id);
    assert.equal(room.publishers, 0, "the broken publisher was released");
    const viewer = await watch(server.origin, id);
    await viewer.until(
      () => viewer.frames.some((f) => f.kind === "media"),
      5000,
      "last good media",
    );
    assert.equal(viewer.frames[0].kind, "init");
    await viewer.close();
  } finally {
    await server.close();
  }
});

Deno.test("POST /api/rooms rejects bad bodies with 400 and the room cap with 503", async () => {
  const server = await startTestServer({ maxRooms: 2 });
  try {
    const bad = await fetch(`${server.origin}/api/rooms`, { method: "POST", body: "{nope" });
    assert.equal(bad.status, 400);
    assert.match(await errorOf(bad), /not valid JSON/);
    const wrongType = await fetch(`${server.origin}/api/rooms`, {
      method: "POST",
      body: '{"title": 5}',
    });
    assert.equal(wrongType.status, 400);
    assert.match(await errorOf(wrongType), /"title" must be a string/);
    const created = await fetch(`${server.origin}/api/rooms`, { method: "POST" });
    assert.equal(created.status, 201);
    const room = await created.json();
    assert.match(room.id, /^[A-Za-z0-9_-]+$/);
    assert.ok(room.key.length >= 22, "key carries at least 128 random bits");
    assert.equal(room.viewerUrl, `${server.origin}/s/${room.id}`);
    assert.ok(!server.logs.some((l) => l.includes(room.key)), "the key is never logged");
    await createRoom(server.origin);
    const full = await fetch(`${server.origin}/api/rooms`, { method: "POST" });
    assert.equal(full.status, 503);
    assert.match(await errorOf(full), /--max-rooms/);
  } finally {
    await server.close();
  }
});

Deno.test("the viewer cap answers 503 over HTTP and to a WebSocket before the upgrade", async () => {
  const server = await startTestServer({ maxViewers: 1 });
  try {
    const { id, key } = await createRoom(server.origin);
    const presenter = await publish(server.origin, id, key);
    const fixture = await loadFixture("vp8-opus.webm");
    await replay(presenter, "camera", { ...fixture, chunks: fixture.chunks.slice(0, 8) }, {
      speed: Infinity,
    });
    const first = await watch(server.origin, id);
    await first.until(() => first.messages.some((m) => m.type === "welcome"));
    const http = await fetch(`${server.origin}/s/${id}/camera/live`);
    assert.equal(http.status, 503);
    assert.match(await errorOf(http), /room is full/);
    const second = await tryUpgrade(server.origin, `/api/rooms/${id}/watch`);
    assert.equal(second.status, 503);
    assert.equal(second.body?.code, "capacity");
    assert.match(second.body?.error ?? "", /room is full \(1 viewers\)/);
    await first.close();
    await presenter.close();
  } finally {
    await server.close();
  }
});

Deno.test("mutated and truncated media never crash the server or leave a publisher behind", async () => {
  const server = await startTestServer();
  try {
    const { id, key } = await createRoom(server.origin);
    const good = await fixtureBytes();
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const statuses = new Set<number>();
    for (let round = 0; round < 40; round++) {
      const bytes = good.slice(0, Math.floor(good.length * (0.05 + random() * 0.95)));
      for (let i = 0; i < 1 + round % 8; i++) {
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
      const res = await put(server, `/ingest/${id}/camera`, bytes, key);
      statuses.add(res.status);
      assert.ok([200, 400, 415].includes(res.status), `round ${round}: status ${res.status}`);
      await res.body?.cancel();
      assert.equal(server.state.hub.get(id).publishers, 0, `round ${round}: publisher released`);
    }
    assert.ok(statuses.has(400), "some mutations were caught as bad media");
    assert.equal((await fetch(`${server.origin}/api/rooms/${id}`)).status, 200);
    // The room is still usable: a clean publish reaches a new viewer.
    const presenter = await publish(server.origin, id, key);
    const viewer = await watch(server.origin, id);
    await replay(presenter, "camera", await loadFixture("vp8-opus.webm"), { speed: Infinity });
    await viewer.until(
      () => viewer.frames.filter((f) => f.kind === "media").length > 10,
      5000,
      "clean media",
    );
    await viewer.close();
    await presenter.close();
  } finally {
    await server.close();
  }
});

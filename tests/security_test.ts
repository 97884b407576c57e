/**
 * The server's defences over real sockets (issue #8, docs/api.md "Security"):
 * foreign origins are refused, per-client limits answer 429 with
 * Retry-After, sockets that never say hello are capped and closed, the admin
 * token exists only when configured, every /api error is JSON, titles with
 * control characters are refused, and TLS serves HTTPS with a certificate
 * that is kept across restarts. Time is a fake clock the test moves.
 */
import assert from "node:assert/strict";
import { DEFAULTS } from "../lib/config.ts";
import { encodeClient } from "../lib/protocol.ts";
import { generateSelfSigned } from "../lib/tls/self_signed.ts";
import { hashKey, writeMeta } from "../lib/record/meta.ts";
import { startTestServer, type TestServer } from "./server.ts";
import { createRoom, loadFixture, publish, replay, tryUpgrade, watch } from "./ws_clients.ts";

/**
 * A clock that moves only when the test advances it: the limits' figures (Retry-After, the
 * hello deadline) then do not depend on how long the requests took on a busy machine.
 */
function fakeClock() {
  let t = 0;
  return {
    now: () => t,
    advance: (ms: number) => void (t += ms),
  };
}

function call(
  server: TestServer,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: BodyInit,
) {
  return fetch(`${server.origin}${path}`, { method, headers, body });
}

/** The JSON error body; fails unless the response is JSON with `error` and `code`. */
async function jsonError(res: Response): Promise<{ error: string; code: string }> {
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  const body = await res.json();
  assert.equal(typeof body.error, "string", JSON.stringify(body));
  assert.equal(typeof body.code, "string", JSON.stringify(body));
  return body;
}

async function until(what: string, check: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("a page on another origin cannot create rooms, change them or open sockets; own, listed and no-Origin requests can", async () => {
  const server = await startTestServer({ allowedOrigins: ["https://school.example"] });
  try {
    const evil = await call(
      server,
      "POST",
      "/api/rooms",
      { origin: "http://evil.example", "content-type": "text/plain" },
      '{"title":"x"}',
    );
    assert.equal(evil.status, 403);
    const refusal = await jsonError(evil);
    assert.equal(refusal.code, "forbidden");
    assert.equal(
      refusal.error,
      `pages on http://evil.example may not use this server; open Chalkcast from ${server.origin}, or list that origin in the server's --allowed-origins`,
    );
    assert.equal(server.state.hub.size, 0);

    for (const origin of [server.origin, "https://school.example"]) {
      const ok = await call(server, "POST", "/api/rooms", { origin }, "{}");
      assert.equal(ok.status, 201, origin);
      await ok.body?.cancel();
    }
    const { id, key } = await createRoom(server.origin); // no Origin: curl, scripts
    const rename = await call(
      server,
      "PATCH",
      `/api/rooms/${id}`,
      { origin: "http://evil.example", authorization: `Bearer ${key}` },
      '{"title":"pwned"}',
    );
    assert.equal(rename.status, 403);
    await rename.body?.cancel();
    assert.equal(server.state.hub.get(id).title, "Test room");

    for (const endpoint of ["watch", "publish"]) {
      const foreign = await tryUpgrade(server.origin, `/api/rooms/${id}/${endpoint}`, {
        origin: "http://evil.example",
      });
      assert.equal(foreign.status, 403, endpoint);
      assert.equal(foreign.body?.code, "forbidden");
      const own = await tryUpgrade(server.origin, `/api/rooms/${id}/${endpoint}`, {
        origin: server.origin,
      });
      assert.equal(own.status, 101, endpoint);
      own.conn?.close();
    }
    // Reads stay open to any page (the directory is public).
    const list = await call(server, "GET", "/api/rooms", { origin: "http://evil.example" });
    assert.equal(list.status, 200);
    await list.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("room creation is limited to 10 per minute per client, with 429 and Retry-After", async () => {
  const clock = fakeClock();
  const server = await startTestServer({ trustProxy: true }, { now: clock.now });
  const create = (client: string) =>
    call(server, "POST", "/api/rooms", { "x-forwarded-for": client }, "{}");
  try {
    for (let i = 0; i < 10; i++) {
      const res = await create("203.0.113.1");
      assert.equal(res.status, 201, `creation ${i + 1}`);
      await res.body?.cancel();
    }
    const refused = await create("203.0.113.1");
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "6");
    assert.equal(
      (await jsonError(refused)).error,
      "too many new rooms from your address: at most 10 per 60 s; try again in 6 s",
    );
    // Another client (the rightmost X-Forwarded-For hop) is not affected.
    const other = await create("198.51.100.1, 203.0.113.2");
    assert.equal(other.status, 201);
    await other.body?.cancel();
    // A forged left part does not get the first client a fresh allowance.
    const forged = await create("198.51.100.77, 203.0.113.1");
    assert.equal(forged.status, 429);
    await forged.body?.cancel();
    clock.advance(6_000);
    const later = await create("203.0.113.1");
    assert.equal(later.status, 201);
    await later.body?.cancel();
    assert.equal(server.state.hub.size, 12);
  } finally {
    await server.close();
  }
});

Deno.test("uploads (snapshot PUT, ingest PUT) are limited per client", async () => {
  const clock = fakeClock();
  const server = await startTestServer({
    trustProxy: true,
    limits: { ...DEFAULTS.limits, uploadsPerMinute: 2 },
  }, { now: clock.now });
  const client = { "x-forwarded-for": "203.0.113.1" };
  try {
    const { id, key } = await createRoom(server.origin);
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0xff, 0xd9]);
    const snapshot = (headers = client) =>
      call(server, "PUT", `/api/rooms/${id}/snapshot`, {
        ...headers,
        authorization: `Bearer ${key}`,
        "content-type": "image/jpeg",
      }, jpeg.slice());
    assert.equal((await snapshot()).status, 204);
    assert.equal((await snapshot()).status, 204);
    const refused = await snapshot();
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "30");
    assert.match((await jsonError(refused)).error, /^too many uploads from your address/);
    const ingest = await call(server, "PUT", `/ingest/${id}/camera`, {
      ...client,
      authorization: `Bearer ${key}`,
    }, new Uint8Array(10));
    assert.equal(ingest.status, 429);
    await ingest.body?.cancel();
    // This machine (loopback: the operator's scripts and load tests) is not limited.
    for (let i = 0; i < 3; i++) assert.equal((await snapshot({} as typeof client)).status, 204);
    clock.advance(30_000);
    assert.equal((await snapshot()).status, 204);
  } finally {
    await server.close();
  }
});

Deno.test("sockets that have not said hello are capped per client and closed after 5 s", async () => {
  const clock = fakeClock();
  const server = await startTestServer({
    trustProxy: true,
    limits: { ...DEFAULTS.limits, pendingSocketsPerClient: 2 },
  }, { now: clock.now });
  const client = { "x-forwarded-for": "203.0.113.1" };
  try {
    const { id, key } = await createRoom(server.origin);
    const a = await tryUpgrade(server.origin, `/api/rooms/${id}/watch`, client);
    const b = await tryUpgrade(server.origin, `/api/rooms/${id}/watch`, client);
    assert.equal(a.status, 101);
    assert.equal(b.status, 101);
    const third = await tryUpgrade(server.origin, `/api/rooms/${id}/watch`, client);
    assert.equal(third.status, 429);
    assert.equal(third.headers.get("retry-after"), "5");
    assert.match(third.body?.error ?? "", /have not said hello \(2\)/);
    // Closing one frees its slot.
    a.conn!.close();
    await until("the closed socket's slot is free", () => server.state.limits.pending.total === 1);
    // A socket that says hello no longer counts.
    const presenter = await publish(server.origin, id, key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    assert.equal(server.state.limits.pending.total, 1);
    // The one left silent is closed once the (fake) clock passes the 5 s hello deadline.
    const silent = new WebSocket(`${server.origin.replace("http", "ws")}/api/rooms/${id}/watch`);
    const closed = new Promise<CloseEvent>((r) => silent.addEventListener("close", r));
    await new Promise((r) => silent.addEventListener("open", r));
    clock.advance(5_000);
    const event = await closed;
    assert.equal(event.reason, "no hello within 5 s");
    b.conn!.close();
    await until("every pending slot is free", () => server.state.limits.pending.total === 0);
    await presenter.close();
  } finally {
    await server.close();
  }
});

Deno.test("a second publisher's track-start on a live track gets error conflict and stays connected", async () => {
  const server = await startTestServer();
  try {
    const { id, key } = await createRoom(server.origin);
    const first = await publish(server.origin, id, key);
    const fixture = await loadFixture("vp8-opus.webm");
    await replay(first, "camera", { ...fixture, chunks: fixture.chunks.slice(0, 6) }, {
      speed: Infinity,
    });
    await first.until(() => server.state.hub.get(id).track("camera")?.live === true);
    const second = await publish(server.origin, id, key);
    await second.until(() => second.messages.some((m) => m.type === "welcome"));
    await replay(second, "camera", { ...fixture, chunks: fixture.chunks.slice(0, 3) }, {
      speed: Infinity,
    });
    await second.until(() => second.messages.some((m) => m.type === "error"));
    assert.deepEqual(second.messages.find((m) => m.type === "error"), {
      type: "error",
      code: "conflict",
      message:
        'track "camera" already has a publisher; stop the other tab or device, or retry in a few seconds',
    });
    // Still open: its chunks were dropped, not a protocol error; it may use another track.
    second.ws.send(encodeClient({ type: "ping", t: 7 }));
    await second.until(() => second.messages.some((m) => m.type === "pong" && m.t === 7));
    await replay(second, "whiteboard", { ...fixture, chunks: fixture.chunks.slice(0, 6) }, {
      speed: Infinity,
    });
    await second.until(() => server.state.hub.get(id).track("whiteboard")?.live === true);
    assert.equal(second.ws.readyState, WebSocket.OPEN);
    await second.close();
    await first.close();
  } finally {
    await server.close();
  }
});

Deno.test("the admin token ends any room and lists every room; without --admin-token there is no admin API", async () => {
  const token = "test-admin-token-0123456789";
  const admin = await startTestServer({ adminToken: token });
  const plain = await startTestServer();
  try {
    const { id } = await createRoom(admin.origin, "Idle room");
    const noAuth = await call(admin, "GET", "/api/admin/rooms");
    assert.equal(noAuth.status, 401);
    assert.equal((await jsonError(noAuth)).code, "auth");
    const list = await call(admin, "GET", "/api/admin/rooms", { authorization: `Bearer ${token}` });
    assert.equal(list.status, 200);
    const { rooms } = await list.json();
    assert.deepEqual(rooms.map((r: { id: string; title: string }) => [r.id, r.title]), [
      [id, "Idle room"],
    ]);
    const watcher = await watch(admin.origin, id);
    await watcher.until(() => watcher.messages.some((m) => m.type === "welcome"));
    const end = await call(admin, "DELETE", `/api/rooms/${id}`, {
      authorization: `Bearer ${token}`,
    });
    assert.equal(end.status, 204);
    assert.equal((await watcher.closed).code, 4000);
    assert.deepEqual(watcher.messages.find((m) => m.type === "ended"), {
      type: "ended",
      reason: "an administrator ended this session",
    });

    const missing = await call(plain, "GET", "/api/admin/rooms", {
      authorization: `Bearer ${token}`,
    });
    assert.equal(missing.status, 404);
    assert.match((await jsonError(missing)).error, /start it with --admin-token/);
    const other = await createRoom(plain.origin);
    const notAdmin = await call(plain, "DELETE", `/api/rooms/${other.id}`, {
      authorization: `Bearer ${token}`,
    });
    assert.equal(notAdmin.status, 401);
    await notAdmin.body?.cancel();
  } finally {
    await admin.close();
    await plain.close();
  }
});

Deno.test("every /api error is JSON: unknown paths 404, wrong methods 405 with Allow", async () => {
  const server = await startTestServer();
  try {
    const unknown = await call(server, "GET", "/api/nope");
    assert.equal(unknown.status, 404);
    assert.deepEqual(await jsonError(unknown), {
      error: "no API at /api/nope; see docs/api.md for the endpoints",
      code: "not-found",
    });
    const wrong = await call(server, "DELETE", "/api/health");
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "GET, HEAD");
    assert.deepEqual(await jsonError(wrong), {
      error: "method DELETE is not allowed on /api/health; use GET, HEAD",
      code: "method-not-allowed",
    });
    // Pages outside /api keep the styled HTML 404.
    const page = await call(server, "GET", "/nope");
    assert.equal(page.status, 404);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    await page.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("a title with a control character is refused with 400 on create and rename; nothing reaches the room", async () => {
  const server = await startTestServer();
  try {
    const created = await call(server, "POST", "/api/rooms", {}, '{"title":"Algebra\\t101"}');
    assert.equal(created.status, 400);
    assert.equal(
      (await jsonError(created)).error,
      "a title cannot contain control characters (found U+0009); use plain text on one line",
    );
    assert.equal(server.state.hub.size, 0);
    const { id, key } = await createRoom(server.origin, "Algebra 101");
    for (const title of ["Line\nbreak", "Bell\u0007", "Bidi \u202e override", "C1 \u0085"]) {
      const res = await call(
        server,
        "PATCH",
        `/api/rooms/${id}`,
        { authorization: `Bearer ${key}` },
        JSON.stringify({ title }),
      );
      assert.equal(res.status, 400, JSON.stringify(title));
      assert.match((await jsonError(res)).error, /^a title cannot contain control characters/);
    }
    assert.equal(server.state.hub.get(id).title, "Algebra 101");
  } finally {
    await server.close();
  }
});

Deno.test("--self-signed serves HTTPS with a certificate kept in the data dir and reused on restart", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chalkcast-tls-test-" });
  try {
    const first = await startTestServer({ selfSigned: true, dataDir });
    let fingerprint: string;
    try {
      assert.match(first.origin, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(first.tls?.created);
      fingerprint = first.tls!.fingerprint;
      assert.ok(
        first.logs.some((l) =>
          l ===
            `info TLS certificate generated (${dataDir}/tls/self-signed.crt); SHA-256 fingerprint ${fingerprint}`
        ),
        first.logs.join("\n"),
      );
      const client = Deno.createHttpClient({ caCerts: [first.tls!.cert] });
      try {
        const res = await fetch(
          `https://localhost:${first.port}/api/health`,
          { client } as RequestInit,
        );
        assert.equal(res.status, 200);
        assert.equal((await res.json()).status, "ok");
      } finally {
        client.close();
      }
      // Untrusted, the handshake fails: it really is TLS with our certificate.
      await assert.rejects(fetch(`https://localhost:${first.port}/api/health`));
    } finally {
      await first.shutdown();
    }
    const second = await startTestServer({ selfSigned: true, dataDir });
    try {
      assert.equal(second.tls?.created, false);
      assert.equal(second.tls?.fingerprint, fingerprint);
    } finally {
      await second.shutdown();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("--cert/--key serve HTTPS with the given PEM files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalkcast-pem-" });
  const pair = await generateSelfSigned({ dns: ["localhost"], ips: ["127.0.0.1"] });
  await Deno.writeTextFile(`${dir}/cert.pem`, pair.cert);
  await Deno.writeTextFile(`${dir}/key.pem`, pair.key);
  const server = await startTestServer({ certFile: `${dir}/cert.pem`, keyFile: `${dir}/key.pem` });
  const client = Deno.createHttpClient({ caCerts: [pair.cert] });
  try {
    assert.match(server.origin, /^https:/);
    assert.equal(server.tls?.source, `--cert ${dir}/cert.pem`);
    const res = await fetch(
      `https://localhost:${server.port}/api/health`,
      { client } as RequestInit,
    );
    assert.equal(res.status, 200);
    await res.body?.cancel();
  } finally {
    client.close();
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the admin token lists unlisted recordings too; anyone else does not see them", async () => {
  const token = "test-admin-token-0123456789";
  const dataDir = await Deno.makeTempDir({ prefix: "chalkcast-admin-rec-" });
  const id = "u".repeat(22);
  const dir = `${dataDir}/recordings/${id}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeFile(`${dir}/audio.webm`, new Uint8Array(100));
  const startedAt = Date.now() - 60_000;
  await writeMeta(dir, {
    version: 1,
    id,
    roomId: "abcdefghijkl",
    title: "Staff meeting",
    startedAt,
    endedAt: startedAt + 30_000,
    live: false,
    unlisted: true,
    keyHash: hashKey("room-key"),
    durationMs: 30_000,
    parts: [{
      track: "audio",
      file: "audio.webm",
      mime: "audio/webm",
      offsetMs: 0,
      durationMs: 30_000,
      bytes: 100,
    }],
    error: null,
  });
  const server = await startTestServer({ dataDir, adminToken: token });
  try {
    const list = async (headers: Record<string, string>) => {
      const res = await call(server, "GET", "/api/recordings", headers);
      assert.equal(res.status, 200);
      return (await res.json()).map((r: { id: string }) => r.id);
    };
    assert.deepEqual(await list({}), []);
    assert.deepEqual(await list({ authorization: "Bearer not-the-admin-token" }), []);
    assert.deepEqual(await list({ authorization: `Bearer ${token}` }), [id]);
  } finally {
    await server.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

import assert from "node:assert/strict";
import { decodeMedia, encodeMedia, encodeServer } from "../protocol.ts";
import { explainRefusal, ProtocolSocket, type SocketStatus } from "./socket.ts";
import { FakeSocket } from "./_testing.ts";

/** Timers the test fires by hand: no waiting on real time. */
function manualTimers() {
  const due: Array<() => void> = [];
  return {
    schedule: (fn: () => void) => {
      due.push(fn);
      return () => void due.splice(due.indexOf(fn), 1);
    },
    get pending() {
      return due.length;
    },
    fire: () => due.splice(0).forEach((fn) => fn()),
  };
}

function setup(
  explain: (url: string) => Promise<{ code: number; reason: string } | null> = () =>
    Promise.resolve(null),
) {
  const sockets: FakeSocket[] = [];
  const statuses: SocketStatus[] = [];
  const warnings: string[] = [];
  const timers = manualTimers();
  const s = new ProtocolSocket({
    warn: (message) => warnings.push(message),
    schedule: timers.schedule,
    explain,
    url: "ws://x/api/rooms/r/watch",
    hello: () => ({ type: "hello", v: 1, role: "viewer", room: "r" }),
    connect: (url) => {
      const ws = new FakeSocket(url);
      sockets.push(ws);
      return ws;
    },
    backoff: { initialMs: 1, jitter: 0 },
  });
  s.onStatus = (st) => statuses.push(st);
  return { s, sockets, statuses, warnings, timers };
}

Deno.test("ProtocolSocket says hello on open and decodes text and binary frames", () => {
  const { s, sockets, statuses } = setup();
  const got: string[] = [];
  s.onMessage = (m) => got.push(m.type);
  s.onMedia = (f) => got.push(`${f.kind}:${f.track}`);
  s.start();
  const ws = sockets[0];
  ws.open();
  assert.equal(ws.binaryType, "arraybuffer");
  assert.deepEqual(JSON.parse(ws.sent[0]), {
    type: "hello",
    v: 1,
    role: "viewer",
    room: "r",
  });
  ws.receive(encodeServer({ type: "ended", reason: "bye" }));
  ws.receive('{"type":"from-the-future"}');
  const init = encodeMedia({
    kind: "init",
    track: "camera",
    mime: "video/webm",
    payload: new Uint8Array([1]),
  });
  ws.receive(init.slice().buffer);
  assert.deepEqual(got, ["ended", "init:camera"]);
  assert.deepEqual(statuses, ["connecting", "open"]);
  s.stop();
});

Deno.test("ProtocolSocket answers a ping with a pong carrying the same t", () => {
  const { s, sockets } = setup();
  s.start();
  sockets[0].open();
  sockets[0].receive(encodeServer({ type: "ping", t: 42 }));
  assert.deepEqual(JSON.parse(sockets[0].sent[1]), { type: "pong", t: 42 });
  s.stop();
});

Deno.test("ProtocolSocket reconnects after a drop and stops on a fatal close", () => {
  const { s, sockets, statuses, timers } = setup();
  s.start();
  sockets[0].open();
  sockets[0].remoteClose(1006);
  assert.equal(timers.pending, 1, "a retry is scheduled");
  timers.fire();
  assert.equal(sockets.length, 2);
  sockets[1].open();
  assert.equal(sockets[1].sent.length, 1, "hello again");
  sockets[1].remoteClose(4404);
  assert.equal(timers.pending, 0, "no retry after a fatal close");
  assert.equal(sockets.length, 2);
  assert.deepEqual(statuses, [
    "connecting",
    "open",
    "reconnecting",
    "reconnecting",
    "open",
    "closed",
  ]);
});

Deno.test("ProtocolSocket.sendMedia() sends an encoded frame only while connected", () => {
  const { s, sockets } = setup();
  const frame = {
    kind: "chunk",
    track: "camera",
    timestampMs: 0,
    payload: new Uint8Array([7]),
  } as const;
  assert.equal(s.sendMedia(frame), false);
  s.start();
  sockets[0].open();
  assert.equal(s.sendMedia(frame), true);
  assert.deepEqual(decodeMedia(sockets[0].frames[1] as Uint8Array), frame);
  s.stop();
  assert.equal(sockets[0].closed, 1000);
});

Deno.test("ProtocolSocket never drops a server message silently: it warns with what it got", () => {
  const { s, sockets, warnings } = setup();
  const got: string[] = [];
  s.onMessage = (m) => got.push(m.type);
  s.onMedia = (f) => got.push(`${f.kind}:${f.track}`);
  s.start();
  sockets[0].open();
  // A title with a tab: the decoder refuses control characters.
  sockets[0].receive(
    '{"type":"welcome","v":1,"role":"viewer","room":{"id":"r","title":"Algebra\\t101"},"participant":"p"}',
  );
  sockets[0].receive(new Uint8Array([9, 0, 0]));
  sockets[0].receive(encodeServer({ type: "ended", reason: "bye" }));
  assert.deepEqual(got, ["ended"]);
  assert.equal(warnings.length, 2);
  assert.match(
    warnings[0],
    /^chalkcast: ignored a server message that could not be decoded \(.+\): \{"type":"welcome"/,
  );
  assert.match(warnings[0], /Algebra\\t101/);
  assert.match(
    warnings[1],
    /^chalkcast: ignored a media frame of 3 bytes that could not be decoded/,
  );
  s.stop();
});

Deno.test("a connection refused before the upgrade is explained over HTTP: 404 stops, 503 retries", async () => {
  const answers = [{ code: 1013, reason: "this room is full" }, {
    code: 4404,
    reason: "no such room",
  }];
  const asked: string[] = [];
  const closes: Array<{ code: number; reason: string } | undefined> = [];
  const { s, sockets, timers } = setup((url) => {
    asked.push(url);
    return Promise.resolve(answers.shift() ?? null);
  });
  s.onStatus = (_status, close) => closes.push(close);
  s.start();
  sockets[0].remoteClose(1006); // never opened
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(asked, ["ws://x/api/rooms/r/watch"]);
  assert.deepEqual(closes.at(-1), { code: 1013, reason: "this room is full" });
  timers.fire();
  sockets[1].remoteClose(1006);
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(closes.at(-1), { code: 4404, reason: "no such room" });
  assert.equal(timers.pending, 0, "stopped for good");
  assert.equal(sockets.length, 2);
});

Deno.test("explainRefusal() maps the endpoint's HTTP answer like the server's close codes", async () => {
  const answer = (status: number, body: unknown = { error: `status ${status}` }) => () =>
    Promise.resolve(Response.json(body, { status }));
  assert.deepEqual(await explainRefusal("ws://h/api/rooms/r/watch", answer(404)), {
    code: 4404,
    reason: "status 404",
  });
  assert.deepEqual(await explainRefusal("wss://h/x", answer(503)), {
    code: 1013,
    reason: "status 503",
  });
  assert.deepEqual(await explainRefusal("wss://h/x", answer(403)), {
    code: 4403,
    reason: "status 403",
  });
  assert.equal(await explainRefusal("wss://h/x", answer(426)), null);
  assert.equal(
    await explainRefusal("wss://h/x", () => Promise.reject(new TypeError("offline"))),
    null,
  );
  let asked = "";
  await explainRefusal("wss://h/api/rooms/r/watch", (u) => {
    asked = u;
    return Promise.resolve(new Response(null, { status: 426 }));
  });
  assert.equal(asked, "https://h/api/rooms/r/watch");
});

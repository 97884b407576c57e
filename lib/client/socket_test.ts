import assert from "node:assert/strict";
import { decodeMedia, encodeMedia, encodeServer } from "../protocol.ts";
import { ProtocolSocket, type SocketStatus } from "./socket.ts";
import { FakeSocket } from "./_testing.ts";

function setup() {
  const sockets: FakeSocket[] = [];
  const statuses: SocketStatus[] = [];
  const warnings: string[] = [];
  const s = new ProtocolSocket({
    warn: (message) => warnings.push(message),
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
  return { s, sockets, statuses, warnings };
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

Deno.test("ProtocolSocket reconnects after a drop and stops on a fatal close", async () => {
  const { s, sockets, statuses } = setup();
  s.start();
  sockets[0].open();
  sockets[0].remoteClose(1006);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(sockets.length, 2);
  sockets[1].open();
  assert.equal(sockets[1].sent.length, 1, "hello again");
  sockets[1].remoteClose(4404);
  await new Promise((r) => setTimeout(r, 20));
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

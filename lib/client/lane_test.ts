import assert from "node:assert/strict";
import { encodeMedia, encodeServer } from "../protocol.ts";
import { FakeSocket } from "./_testing.ts";
import { Lane } from "./lane.ts";

const TOKEN = "abcdefghijklmnopqrstuv";

function lane() {
  const sockets: FakeSocket[] = [];
  const l = new Lane({
    url: "ws://x/api/rooms/r1/watch",
    room: "r1",
    connect: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
  });
  return { l, sockets };
}

Deno.test("lane: says hello with the token and its tracks; media and delivery come out", () => {
  const { l, sockets } = lane();
  const got: string[] = [];
  l.onMedia = (track, bytes, keyframe, ts) =>
    got.push(`${track} ${bytes.length} ${keyframe} ${ts}`);
  l.onDelivery = (d) => got.push(`delivery ${d.pendingBytes}`);
  l.open(TOKEN, ["camera-low"]);
  assert.deepEqual(l.tracks, ["camera-low"]);
  sockets[0].open();
  assert.equal(sockets[0].url, "ws://x/api/rooms/r1/watch?lane");
  assert.deepEqual(JSON.parse(sockets[0].sent[0]), {
    type: "hello",
    v: 1,
    role: "viewer",
    room: "r1",
    lane: TOKEN,
    tracks: ["camera-low"],
  });
  sockets[0].receive(encodeMedia({
    kind: "media",
    track: "camera-low",
    keyframe: true,
    start: false,
    timestampMs: 1500,
    payload: new Uint8Array(3),
  }));
  sockets[0].receive(encodeServer({
    type: "stats",
    viewers: 1,
    tracks: [],
    delivery: { queued: 0, pendingBytes: 42, skipped: 0, sentBytes: 3 },
  }));
  assert.deepEqual(got, ["camera-low 3 true 1500", "delivery 42"]);
});

Deno.test("lane: new tracks open a fresh socket (the old backlog goes with the old one); none closes", () => {
  const { l, sockets } = lane();
  l.open(TOKEN, ["camera-low"]);
  sockets[0].open();
  l.open(TOKEN, ["camera", "whiteboard"]);
  assert.equal(sockets[0].closed, 1000);
  assert.equal(sockets.length, 2);
  sockets[1].open();
  assert.deepEqual(JSON.parse(sockets[1].sent[0]).tracks, ["camera", "whiteboard"]);
  l.open(TOKEN, []);
  assert.equal(sockets[1].closed, 1000);
  assert.deepEqual(l.tracks, []);
  assert.equal(sockets.length, 2);
});

Deno.test("lane: an unknown token or a replacement stops it and says so", () => {
  const { l, sockets } = lane();
  const closed: number[] = [];
  l.onClosed = (code) => closed.push(code);
  l.open(TOKEN, ["camera"]);
  sockets[0].open();
  sockets[0].remoteClose(1008);
  assert.deepEqual(closed, [1008]);
  assert.deepEqual(l.tracks, []);
  l.open(TOKEN, ["camera"]);
  sockets[1].open();
  sockets[1].remoteClose(4009);
  assert.deepEqual(closed, [1008, 4009]);
  assert.equal(sockets.length, 2, "no reconnect");
});

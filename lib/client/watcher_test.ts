import assert from "node:assert/strict";
import { encodeMedia, encodeServer } from "../protocol.ts";
import { FakeSocket } from "./_testing.ts";
import { socketUrl, Watcher, type WatcherOptions } from "./watcher.ts";

function setup(options: Partial<WatcherOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const w = new Watcher({
    url: "ws://x/api/rooms/r/watch",
    room: "r",
    ...options,
    connect: () => {
      const ws = new FakeSocket();
      sockets.push(ws);
      return ws;
    },
  });
  return { w, sockets };
}

Deno.test("Watcher hands init and media per track and reports state", () => {
  const { w, sockets } = setup();
  const got: string[] = [];
  w.onInit = (t, mime, b) => got.push(`init ${t} ${mime} ${b.length}`);
  w.onMedia = (t, b, k) => got.push(`media ${t} ${b.length} ${k}`);
  w.onViewers = (n) => got.push(`viewers ${n}`);
  w.onState = (s) => got.push(`live ${s.live}`);
  w.start();
  const ws = sockets[0];
  ws.onopen?.(new Event("open"));
  assert.equal(JSON.parse(ws.sent[0]).role, "viewer");
  ws.receive(encodeServer({ type: "state", live: true, tracks: [], viewers: 3, liveSince: 1 }));
  ws.receive(
    encodeMedia({ kind: "init", track: "camera", mime: "video/webm", payload: new Uint8Array(4) }),
  );
  ws.receive(
    encodeMedia({
      kind: "media",
      track: "camera",
      keyframe: true,
      start: true,
      timestampMs: 5,
      payload: new Uint8Array(2),
    }),
  );
  assert.deepEqual(got, [
    "viewers 3",
    "live true",
    "init camera video/webm 4",
    "media camera 2 true",
  ]);
  w.stop();
});

Deno.test("Watcher reports a room that does not exist and stops", () => {
  const { w, sockets } = setup();
  let notFound = 0;
  w.onNotFound = () => notFound++;
  w.start();
  sockets[0].onclose?.({ code: 4404, reason: "no such room" } as CloseEvent);
  assert.equal(notFound, 1);
  assert.equal(sockets.length, 1);
});

Deno.test("socketUrl() follows the page's scheme", () => {
  assert.equal(socketUrl({ protocol: "https:", host: "a.b" }, "/x"), "wss://a.b/x");
  assert.equal(socketUrl({ protocol: "http:", host: "h:1" }, "/x"), "ws://h:1/x");
});

Deno.test("Watcher says hello with the chosen name, sends chat and passes every message on", () => {
  const sockets: FakeSocket[] = [];
  let name = "Ada";
  const w = new Watcher({
    url: "ws://x/api/rooms/r/watch",
    room: "r",
    name: () => name,
    connect: () => {
      const ws = new FakeSocket();
      sockets.push(ws);
      return ws;
    },
  });
  const titles: string[] = [];
  const types: string[] = [];
  w.onTitle = (t) => titles.push(t);
  w.onMessage = (m) => types.push(m.type);
  w.start();
  sockets[0].onopen?.(new Event("open"));
  assert.equal(JSON.parse(sockets[0].sent[0]).name, "Ada");
  sockets[0].receive(encodeServer({
    type: "welcome",
    v: 1,
    role: "viewer",
    room: { id: "r", title: "Algebra" },
    participant: "p1",
    name: "Ada",
  }));
  sockets[0].receive(
    encodeServer({
      type: "state",
      live: false,
      tracks: [],
      viewers: 1,
      liveSince: null,
      title: "Geometry",
    }),
  );
  sockets[0].receive(encodeServer({ type: "chat-history", messages: [] }));
  assert.deepEqual(titles, ["Algebra", "Geometry"]);
  assert.deepEqual(types, ["welcome", "state", "chat-history"]);
  assert.equal(w.send({ type: "chat", text: "hi" }), true);
  assert.deepEqual(JSON.parse(sockets[0].sent.at(-1)!), { type: "chat", text: "hi" });
  name = "Grace";
  w.reconnect();
  sockets[1].onopen?.(new Event("open"));
  assert.equal(JSON.parse(sockets[1].sent[0]).name, "Grace");
  w.stop();
});

Deno.test("Watcher passes the init's clock and keeps its track choice across reconnects", () => {
  const { w, sockets } = setup();
  const clocks: (number | undefined)[] = [];
  w.onInit = (_t, _m, _b, clockMs) => clocks.push(clockMs);
  w.start();
  sockets[0].open();
  const init = { kind: "init", track: "audio", mime: "audio/webm", payload: new Uint8Array(1) };
  sockets[0].receive(encodeMedia({ ...init, kind: "init", clockMs: 1_700_000_000_000 }));
  sockets[0].receive(encodeMedia({ ...init, kind: "init" }));
  assert.deepEqual(clocks, [1_700_000_000_000, undefined]);
  w.subscribe(["audio"]);
  assert.deepEqual(JSON.parse(sockets[0].sent.at(-1)!), { type: "subscribe", tracks: ["audio"] });
  w.reconnect();
  sockets[1].open();
  assert.deepEqual(JSON.parse(sockets[1].sent[0]).tracks, ["audio"]);
  w.stop();
});

Deno.test("Watcher asks for no media with tracks: [] while media() says false (pull mode)", () => {
  let media = false;
  const { w, sockets } = setup({ media: () => media });
  w.start();
  sockets[0].open();
  assert.deepEqual(JSON.parse(sockets[0].sent[0]), {
    type: "hello",
    v: 1,
    role: "viewer",
    room: "r",
    tracks: [],
  });
  media = true;
  w.subscribe(["audio"]);
  w.reconnect();
  sockets[1].open();
  assert.deepEqual(JSON.parse(sockets[1].sent[0]).tracks, ["audio"]);
  w.stop();
});

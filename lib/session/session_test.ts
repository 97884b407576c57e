/**
 * What every WebSocket session does, whatever its role: hello first, the
 * heartbeat (ping when quiet, drop when silent or never greeted), and one
 * clear close per broken rule. Driven through ViewerSession with a fake peer
 * and an injected clock.
 */
import assert from "node:assert/strict";
import { CLOSE } from "../errors.ts";
import { DEFAULT_HEARTBEAT } from "./heartbeat.ts";
import { say, sessionWorld, viewerHello } from "./_testing.ts";

function setup() {
  const world = sessionWorld();
  const { room } = world.hub.create({ title: "Algebra" });
  const { peer, session } = world.viewer(room.id, { hello: false });
  const hello = () => say(session, viewerHello(room.id));
  return { ...world, room, peer, session, hello };
}

Deno.test("hello is answered with welcome, state and chat-history, in that order", () => {
  const { peer, session, hello, room } = setup();
  assert.equal(session.greeted, false);
  hello();
  assert.equal(session.greeted, true);
  assert.deepEqual(peer.types, ["welcome", "state", "chat-history"]);
  const welcome = peer.messages[0];
  assert.ok(welcome.type === "welcome");
  assert.deepEqual(welcome.room, { id: room.id, title: "Algebra" });
  assert.equal(welcome.role, "viewer");
  assert.equal(peer.closed, null);
});

Deno.test("anything before hello is a protocol error: error message, then close 1008", () => {
  const { peer, session } = setup();
  say(session, { type: "chat", text: "hi" });
  assert.deepEqual(peer.errors, [{ type: "error", code: "protocol", message: "send hello first" }]);
  assert.deepEqual(peer.closed, { code: CLOSE.policy, reason: "send hello first" });
  assert.equal(session.ended, true);
});

Deno.test("a wrong version, role or room in hello closes 1008 with the reason", () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ v: 2 }, /protocol version 2 is not supported \(this server speaks 1\); reload the page/],
    [{ role: "publisher", key: "k" }, /this endpoint is for the viewer, not the publisher/],
    [{ room: "elsewhere" }, /hello names another room than the URL/],
  ];
  for (const [change, reason] of cases) {
    const { peer, session, room } = setup();
    session.onText(
      JSON.stringify({ type: "hello", v: 1, role: "viewer", room: room.id, ...change }),
    );
    assert.equal(peer.closed?.code, CLOSE.policy, JSON.stringify(change));
    assert.match(peer.closed!.reason, reason);
  }
});

Deno.test("a second hello and undecodable text close 1008", () => {
  const a = setup();
  a.hello();
  a.hello();
  assert.deepEqual(a.peer.closed, {
    code: CLOSE.policy,
    reason: "hello was already sent on this connection",
  });
  const b = setup();
  b.session.onText("not json");
  assert.equal(b.peer.closed?.code, CLOSE.policy);
});

Deno.test("a hello for a room that ended meanwhile closes 4404 after an error not-found", () => {
  const { peer, hub, room, hello } = setup();
  hub.delete(room.id);
  hello();
  assert.equal(peer.errors[0]?.code, "not-found");
  assert.equal(peer.closed?.code, 4404);
});

Deno.test("no hello within the deadline (5 s by default) ends the connection", () => {
  const { advance, now, peer, session } = setup();
  assert.equal(DEFAULT_HEARTBEAT.helloTimeoutMs, 5_000);
  advance(4_999);
  session.heartbeat(now());
  assert.equal(peer.closed, null);
  advance(1);
  session.heartbeat(now());
  assert.equal(peer.closeFrame()?.reason, "no hello within 5 s");
  assert.equal(session.ended, true);
});

Deno.test("a quiet peer is pinged after 10 s and dropped after 30 s of silence; any frame resets it", () => {
  const { advance, now, peer, session, hello } = setup();
  hello();
  peer.messages = [];
  advance(9_999);
  session.heartbeat(now());
  // `stats` rides the same heartbeat every 2 s; here only pings matter.
  const pings = () => peer.messages.filter((m) => m.type !== "stats");
  assert.deepEqual(pings(), []);
  advance(1);
  session.heartbeat(now());
  assert.deepEqual(pings(), [{ type: "ping", t: Math.round(now()) }]);
  // The answer counts as hearing from it.
  say(session, { type: "pong", t: 1 });
  advance(29_999);
  session.heartbeat(now());
  assert.equal(peer.closed, null);
  advance(1);
  session.heartbeat(now());
  assert.deepEqual(peer.closeFrame(), {
    code: CLOSE.timeout,
    reason: "connection silent for 30 s",
  });
});

Deno.test("ping is answered with pong carrying the same t, before and after hello", () => {
  const { peer, session, hello } = setup();
  say(session, { type: "ping", t: 5 });
  hello();
  say(session, { type: "ping", t: 6 });
  assert.deepEqual(peer.messages.filter((m) => m.type === "pong"), [
    { type: "pong", t: 5 },
    { type: "pong", t: 6 },
  ]);
});

Deno.test("closed() releases the viewer from the room once, and a closed session ignores frames", () => {
  const { peer, session, hello, room } = setup();
  hello();
  assert.equal(room.viewers, 1);
  session.closed();
  session.closed();
  assert.equal(room.viewers, 0);
  const before = peer.messages.length;
  say(session, { type: "ping", t: 1 });
  assert.equal(peer.messages.length, before);
});

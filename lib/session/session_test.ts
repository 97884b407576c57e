/**
 * What every WebSocket session does, whatever its role: hello first, the
 * heartbeat (ping when quiet, drop when silent or never greeted), and one
 * clear close per broken rule. Driven through ViewerSession with a fake peer
 * and an injected clock.
 */
import assert from "node:assert/strict";
import { Hub } from "../hub/hub.ts";
import { fakeClock } from "../hub/_testing.ts";
import { ChatRooms } from "../chat/registry.ts";
import { CLOSE } from "../errors.ts";
import { PROTOCOL_VERSION } from "../protocol.ts";
import { DEFAULT_HEARTBEAT } from "./heartbeat.ts";
import { ViewerSession } from "./viewer_session.ts";
import { Ticker } from "./ticker.ts";
import { StateFeeds } from "./state_feed.ts";
import { closeOf, FakePeer, say } from "./_fake_peer.ts";

const quiet = { info() {}, warn() {}, error() {} };

function setup() {
  const clock = fakeClock();
  const hub = new Hub({ now: clock.now, log: quiet });
  const ticker = new Ticker(50, clock.now);
  const states = new StateFeeds(ticker);
  const { room } = hub.create({ title: "Algebra" });
  const peer = new FakePeer();
  const session = new ViewerSession({
    peer,
    log: quiet,
    now: clock.now,
    ticker,
    states,
    hub,
    chat: new ChatRooms(),
    roomId: room.id,
  });
  const hello = () =>
    say(session, { type: "hello", v: PROTOCOL_VERSION, role: "viewer", room: room.id });
  return { clock, hub, room, peer, session, hello };
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
  const { clock, peer, session } = setup();
  assert.equal(DEFAULT_HEARTBEAT.helloTimeoutMs, 5_000);
  clock.advance(4_999);
  session.heartbeat(clock.now());
  assert.equal(peer.closed, null);
  clock.advance(1);
  session.heartbeat(clock.now());
  assert.equal(closeOf(peer)?.reason, "no hello within 5 s");
  assert.equal(session.ended, true);
});

Deno.test("a quiet peer is pinged after 10 s and dropped after 30 s of silence; any frame resets it", () => {
  const { clock, peer, session, hello } = setup();
  hello();
  peer.messages = [];
  clock.advance(9_999);
  session.heartbeat(clock.now());
  // `stats` rides the same heartbeat every 2 s; here only pings matter.
  const pings = () => peer.messages.filter((m) => m.type !== "stats");
  assert.deepEqual(pings(), []);
  clock.advance(1);
  session.heartbeat(clock.now());
  assert.deepEqual(pings(), [{ type: "ping", t: Math.round(clock.now()) }]);
  // The answer counts as hearing from it.
  say(session, { type: "pong", t: 1 });
  clock.advance(29_999);
  session.heartbeat(clock.now());
  assert.equal(peer.closed, null);
  clock.advance(1);
  session.heartbeat(clock.now());
  assert.deepEqual(closeOf(peer), { code: CLOSE.timeout, reason: "connection silent for 30 s" });
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

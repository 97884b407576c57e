/**
 * A viewer's session: it joins the room's viewers at hello, chats under its
 * name, is refused moderation and media with a reason, and is told when the
 * room ends.
 */
import assert from "node:assert/strict";
import { CLOSE } from "../errors.ts";
import { say, sessionWorld } from "./_testing.ts";

function setup(options: { maxViewers?: number } = {}) {
  const world = sessionWorld({ maxViewersPerRoom: options.maxViewers });
  const { room } = world.hub.create({ title: "Algebra" });
  const viewer = (name?: string) => world.viewer(room.id, { name });
  return { ...world, room, viewer };
}

Deno.test("a viewer chats under its hello name; every connection of the room gets the line", () => {
  const { viewer } = setup();
  const ann = viewer("Ann");
  const bob = viewer();
  say(ann.session, { type: "chat", text: "  hello\tthere " });
  for (const { peer } of [ann, bob]) {
    const line = peer.messages.find((m) => m.type === "chat");
    assert.ok(line?.type === "chat");
    assert.equal(line.name, "Ann");
    assert.equal(line.text, "hello there");
  }
  const welcome = bob.peer.messages[0];
  assert.ok(welcome.type === "welcome");
  assert.match(welcome.name ?? "", /^Guest-/);
});

Deno.test("a name with control characters is cleaned before anyone sees it, or refused", () => {
  const { viewer } = setup();
  // Newlines, C1 controls and bidi overrides pass the decoder: the session cleans them.
  const { peer } = viewer("Eve\u202e Smith\n\u0085");
  const welcome = peer.messages[0];
  assert.ok(welcome.type === "welcome");
  assert.equal(welcome.name, "Eve Smith");
  // C0 controls never get past the decoder: the hello is a protocol error.
  const bell = viewer("Eve\u0007");
  assert.equal(bell.peer.closed?.code, CLOSE.policy);
  assert.match(bell.peer.closed!.reason, /control characters/);
});

Deno.test("chat refusals are error messages and the connection stays: rate limit, empty, moderation", () => {
  const { viewer } = setup();
  const { peer, session } = viewer("Ann");
  for (let i = 0; i < 6; i++) say(session, { type: "chat", text: `line ${i}` });
  say(session, { type: "chat", text: "   " });
  say(session, { type: "chat-delete", id: "x" });
  say(session, { type: "chat-mute", participant: "y" });
  assert.deepEqual(peer.errors.map((e) => [e.code, e.message]), [
    ["rate-limited", "slow down: at most 5 messages per 5 s; try again in 1 s"],
    ["bad-request", "a chat message cannot be empty; type something first"],
    ["forbidden", "only the presenter can moderate the chat"],
    ["forbidden", "only the presenter can moderate the chat"],
  ]);
  assert.equal(peer.closed, null);
});

Deno.test("publisher messages from a viewer get bad-request; media from a viewer closes 1008", () => {
  const { viewer } = setup();
  const { peer, session } = viewer();
  say(session, { type: "track-stop", track: "camera" });
  assert.deepEqual(peer.errors.at(-1), {
    type: "error",
    code: "bad-request",
    message: '"track-stop" is not something a viewer can send',
  });
  session.onBinary(new Uint8Array([3, 0, 0]));
  assert.deepEqual(peer.closed, { code: CLOSE.policy, reason: "viewers do not send media" });
});

Deno.test("a full room refuses the hello with error capacity and close 1013", () => {
  const { viewer } = setup({ maxViewers: 1 });
  viewer();
  const { peer } = viewer();
  assert.equal(peer.errors[0]?.code, "capacity");
  assert.equal(peer.closed?.code, CLOSE.tryAgainLater);
});

Deno.test("when the room ends the viewer gets ended with the reason, then close 4000", () => {
  const { hub, room, viewer } = setup();
  const { peer } = viewer();
  hub.delete(room.id, "the presenter ended this session");
  assert.deepEqual(peer.messages.at(-1), {
    type: "ended",
    reason: "the presenter ended this session",
  });
  assert.deepEqual(peer.closed, {
    code: CLOSE.roomEnded,
    reason: "the presenter ended this session",
  });
});

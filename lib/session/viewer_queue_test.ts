import { deepEqual, equal, ok } from "node:assert/strict";
import { DEFAULT_SUBSCRIBER_LIMITS } from "../hub/subscriber.ts";
import { initSegment, mediaSegment } from "../hub/_testing.ts";
import { SendBudget } from "../transport/send_budget.ts";
import { sessionWorld } from "./_testing.ts";

Deno.test("a viewer that does not read holds a bounded text queue, however much the room chats", () => {
  const world = sessionWorld();
  const { room } = world.hub.create({ title: "Algebra" });
  const talker = world.viewer(room.id, { name: "Ada", ticked: true });
  const stuck = world.viewer(room.id, { name: "Bob", ticked: true });
  deepEqual(stuck.peer.types, ["welcome", "state", "chat-history"]);
  stuck.peer.buffered = 1e9; // its socket never drains from here on
  const chat = world.chat.for(room);
  // 25 s of a chat at 20 lines a second (under the 30 s a silent peer is allowed).
  for (let i = 0; i < 500; i++) {
    chat.post(talker.session, `message ${i}`);
    world.advance(50);
    room.rename(`Algebra ${i % 7}`);
  }
  equal(stuck.peer.messages.length, 3, "nothing more reached the stuck socket");
  equal(talker.peer.types.filter((t) => t === "chat").length, 500, "the reader got everything");
  ok(talker.peer.types.includes("ping"), "and was pinged, as the stuck one will be");
  // What waits for the stuck viewer: at most maxText frames, one of them the newest state.
  stuck.peer.buffered = 0;
  world.advance(50);
  const after = stuck.peer.messages.slice(3);
  ok(after.length <= DEFAULT_SUBSCRIBER_LIMITS.maxText, `${after.length} frames were queued`);
  const states = after.filter((m) => m.type === "state");
  equal(states.length, 1, "a newer state replaces the queued one");
  equal(states[0].type === "state" && states[0].title, `Algebra ${499 % 7}`);
  equal(after.filter((m) => m.type === "ping").length, 1, "pings are keyed too");
  const chats = after.filter((m) => m.type === "chat");
  equal(chats[chats.length - 1].type === "chat" && chats.at(-1)!.text, "message 499");
  ok(world.log.lines.some((l) => /room .*: 1 viewer too slow, skipped \d+ segments/.test(l)));
  world.ticker.stop();
});

Deno.test("the ended notice reaches a viewer after its queue is gone", () => {
  const world = sessionWorld();
  const { room } = world.hub.create({});
  const { peer } = world.viewer(room.id, { name: "Ada", ticked: true });
  world.hub.delete(room.id);
  equal(peer.types.at(-1), "ended");
  ok(peer.closed);
  world.ticker.stop();
});

Deno.test("a keyframe fanned out past the send budget reaches the rest of the viewers on the next turns", async () => {
  const world = sessionWorld();
  const { room, key } = world.hub.create({});
  const budget = new SendBudget(250); // room for two 100-byte frames a turn
  const peers = Array.from(
    { length: 5 },
    () => world.viewer(room.id, { budget, ticked: true }).peer,
  );
  const publisher = room.publish(key, () => {});
  publisher.start("camera", 'video/webm; codecs="vp8"');
  publisher.push("camera", initSegment());
  await until(() => peers.every((p) => p.binaries.length === 1));
  await until(() => budget.used === 0); // a fresh turn
  publisher.push("camera", mediaSegment(0, { keyframe: true, size: 90 }));
  const now = peers.map((p) => p.binaries.length);
  equal(now.filter((n) => n === 2).length, 2, `one turn sends two: ${now}`);
  await until(() => peers.every((p) => p.binaries.length === 2));
  world.ticker.stop();
});

/** Waits, turn by turn, until `done()` (the ticker's `soon()` pumps run on those turns). */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; !done(); turn++) {
    if (turn > 100) throw new Error("not within 100 turns");
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

Deno.test("stats go to every viewer every 2 s, from one room.stats() per tick, not one per viewer", () => {
  const world = sessionWorld();
  const { room } = world.hub.create({});
  let computed = 0;
  const stats = room.stats.bind(room);
  room.stats = (now?: number) => (computed++, stats(now));
  const viewers = Array.from(
    { length: 200 },
    (_, i) => world.viewer(room.id, { name: `v${i}`, ticked: true }),
  );
  world.advance(3000); // 60 ticks
  world.ticker.stop();
  const sent = viewers.reduce((n, v) => n + v.peer.types.filter((t) => t === "stats").length, 0);
  ok(sent >= 200, `every viewer got stats (${sent} in all)`);
  ok(computed <= 60, `room.stats() ran ${computed} times for ${sent} stats messages`);
});

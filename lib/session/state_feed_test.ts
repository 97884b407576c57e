import { deepEqual, equal, ok } from "node:assert/strict";
import { decodeServer } from "../protocol.ts";
import { FakeSink } from "../hub/_testing.ts";
import { sessionWorld } from "./_testing.ts";

/** A member that records the state texts it is sent. */
function member() {
  const texts: string[] = [];
  return { texts, sendState: (text: string) => void texts.push(text) };
}

Deno.test("every member gets the same encoded state string, encoded once per revision", () => {
  const { hub, states, ticker, advance } = sessionWorld();
  const { room } = hub.create({ title: "Algebra" });
  const members = Array.from({ length: 100 }, member);
  for (const m of members) states.join(room, m);
  room.rename("Geometry");
  advance(50);
  ticker.stop();
  const last = members.map((m) => m.texts[m.texts.length - 1]);
  ok(last.every((t) => t === last[0]), "one string for everyone");
  const state = decodeServer(last[0]);
  equal(state.type === "state" && state.title, "Geometry");
});

Deno.test("a change of liveness, tracks or title goes out on the next tick; a viewer count at most once a second", () => {
  const { hub, states, ticker, advance } = sessionWorld();
  const { room } = hub.create({ title: "Algebra" });
  const m = member();
  states.join(room, m);
  equal(m.texts.length, 1, "the current state on join");
  room.join(new FakeSink()); // viewer count 0 -> 1: not urgent, but the first send is due
  advance(50);
  equal(m.texts.length, 2);
  room.join(new FakeSink()); // 2
  advance(50);
  room.join(new FakeSink()); // 3
  advance(500);
  equal(m.texts.length, 2, "viewer counts wait for the second to pass");
  room.rename("Geometry");
  advance(50);
  equal(m.texts.length, 3, "a title change does not wait");
  const viewers = m.texts.map((t) => {
    const s = decodeServer(t);
    return s.type === "state" ? s.viewers : -1;
  });
  deepEqual(viewers, [0, 1, 3]);
  advance(2000);
  equal(m.texts.length, 3, "nothing changed, nothing sent");
  ticker.stop();
});

Deno.test("a room's feed is polled only while it has members", () => {
  const { hub, states, ticker } = sessionWorld();
  const { room } = hub.create({});
  const a = member();
  const b = member();
  states.join(room, a);
  states.join(room, b);
  equal([states.size, ticker.awake].join(), "1,1");
  states.leave(room, a);
  states.leave(room, b);
  equal([states.size, ticker.awake].join(), "0,0");
  ticker.stop();
});

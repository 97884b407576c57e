import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { DEFAULTS } from "../config.ts";
import { CapacityError, CLOSE, NotFoundError } from "../errors.ts";
import { Hub, hubOptionsFromConfig } from "./hub.ts";
import { fakeClock, fakeRandom, FakeSink } from "./_testing.ts";

Deno.test("Hub.create() makes a URL-safe 12-character id and a key of at least 128 bits", () => {
  const hub = new Hub();
  const { room, key } = hub.create({ title: "  Algebra " });
  match(room.id, /^[A-Za-z0-9_-]{12}$/);
  match(key, /^[A-Za-z0-9_-]{22,}$/);
  ok(key.length * 6 >= 128);
  equal(room.title, "Algebra");
  equal(hub.get(room.id), room);
  ok(room.checkKey(key));
});

Deno.test("Hub.create() never reuses a live room id", () => {
  let calls = 0;
  const random = fakeRandom();
  // Ids repeat for the first two draws: the hub must draw again.
  const hub = new Hub({
    random: (bytes) => (bytes.length === 9 && calls++ < 2 ? bytes.fill(7) : random(bytes)),
  });
  const a = hub.create().room;
  const b = hub.create().room;
  ok(a.id !== b.id);
});

Deno.test("Hub.create() beyond maxRooms throws CapacityError", () => {
  const hub = new Hub({ maxRooms: 1 });
  hub.create();
  throws(() => hub.create(), CapacityError);
});

Deno.test("Hub.get() of an unknown room throws NotFoundError", () => {
  throws(() => new Hub().get("nope"), NotFoundError);
});

Deno.test("Hub.delete() ends the room: every sink closed with 'room ended'", () => {
  const hub = new Hub();
  const { room } = hub.create();
  const sink = new FakeSink();
  room.join(sink);
  ok(hub.delete(room.id));
  deepEqual(sink.closed, { code: CLOSE.roomEnded, reason: "room ended" });
  equal(hub.find(room.id), undefined);
  equal(hub.delete(room.id), false);
});

Deno.test("Hub.sweep() expires rooms idle for the TTL and keeps busy ones", () => {
  const clock = fakeClock(0);
  const hub = new Hub({ now: clock.now, roomTtlMs: 3_600_000 });
  const idle = hub.create().room;
  const watched = hub.create().room;
  const viewer = watched.join(new FakeSink());
  const { room: published, key } = hub.create();
  published.publish(key, () => {});
  clock.advance(3_599_999);
  deepEqual(hub.sweep(), []);
  clock.advance(1);
  deepEqual(hub.sweep(), [idle.id]);
  viewer.unsubscribe(); // idle from now on
  clock.advance(3_599_999);
  deepEqual(hub.sweep(), []);
  deepEqual(hub.sweep(clock.now() + 1), [watched.id]);
  deepEqual(hub.rooms(), [published]);
});

Deno.test("Hub.close() ends every room as going away", () => {
  const hub = new Hub();
  const sink = new FakeSink();
  hub.create().room.join(sink);
  hub.close();
  equal(hub.size, 0);
  equal(sink.closed?.code, CLOSE.goingAway);
});

Deno.test("hubOptionsFromConfig() carries the configured limits", () => {
  deepEqual(hubOptionsFromConfig(DEFAULTS), {
    maxRooms: 100,
    maxViewersPerRoom: 2000,
    roomTtlMs: 3_600_000,
    ring: { windowMs: 30_000, maxBytes: 64 * 1024 * 1024 },
    subscriber: { maxLagMs: 2000 },
    maxMemoryBytes: 512 * 1024 * 1024,
    maxRoomBytes: 128 * 1024 * 1024,
  });
});

Deno.test("Hub calls onRoomEnded once for each room it removes", () => {
  const ended: string[] = [];
  const clock = fakeClock(0);
  const hub = new Hub({
    now: clock.now,
    roomTtlMs: 1000,
    onRoomEnded: (room) => ended.push(room.id),
  });
  const a = hub.create().room;
  const b = hub.create().room;
  const c = hub.create().room;
  hub.delete(a.id);
  hub.delete(a.id);
  clock.advance(1000);
  hub.sweep();
  deepEqual(ended.sort(), [a.id, b.id, c.id].sort());
  equal(hub.size, 0);
});

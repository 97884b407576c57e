/**
 * Media memory is bounded per track, per room and in all, whatever the
 * timestamps say: a burst with one timestamp cannot keep more than the caps.
 */
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { CapacityError } from "../errors.ts";
import { memoryLogger } from "../log.ts";
import { MemoryBudget } from "./budget.ts";
import { Hub } from "./hub.ts";
import { Packet } from "./packet.ts";
import { Ring } from "./ring.ts";
import { Room } from "./room.ts";
import { Track } from "./track.ts";
import { fakeClock, initSegment, mediaSegment } from "./_testing.ts";

const owner = { close() {} };

Deno.test("MemoryBudget counts into its parents and says which one is full", () => {
  const server = new MemoryBudget(1000);
  const room = new MemoryBudget(600, server);
  room.add(500);
  equal(server.used, 500);
  ok(room.fits(100));
  equal(room.fits(101), false);
  equal(room.overflowed(101), room);
  server.add(450);
  equal(room.overflowed(60), server);
  room.reject();
  deepEqual([room.rejected, server.rejected], [1, 1]);
});

Deno.test("Ring.dropOldest() gives back bytes and moves the join point", () => {
  const budget = new MemoryBudget(Infinity);
  const ring = new Ring({}, budget);
  ring.push(new Packet("camera", mediaSegment(0, { keyframe: true, size: 100 }), 0), 0);
  ring.push(new Packet("camera", mediaSegment(1, { size: 50 }), 1), 1);
  equal(budget.used, 150);
  equal(ring.dropOldest(), 100);
  equal(budget.used, 50);
  equal(ring.newestKeyframe, null);
  equal(ring.dropOldest(), 50);
  equal(ring.dropOldest(), 0);
  ring.push(new Packet("camera", mediaSegment(2, { size: 10 }), 2), 2);
  ring.clear();
  equal(budget.used, 0);
});

Deno.test("a burst into one track keeps at most the track's cap, all at one timestamp", () => {
  const budget = new MemoryBudget(Infinity);
  const track = new Track("camera", { maxBytes: 10_000, budget });
  track.claim(owner, 0);
  track.push(owner, initSegment(), 0);
  for (let i = 0; i < 500; i++) {
    track.push(owner, mediaSegment(0, { keyframe: i % 10 === 0, size: 1000 }), 0);
    ok(track.ring.bytes <= 10_000);
  }
  equal(budget.used, track.bytes);
  track.dispose();
  equal(budget.used, 0);
});

Deno.test("8 tracks of one room stay within the room's cap; the biggest track gives way first", () => {
  const clock = fakeClock(0);
  const server = new MemoryBudget(1_000_000);
  const room = new Room("abcdefghijkl", "k".repeat(24), "Burst", {
    now: clock.now,
    wallClock: clock.now,
    log: memoryLogger(),
    maxViewers: 10,
    maxTracks: 8,
    takeoverAfterMs: 5000,
    ring: { maxBytes: 20_000 },
    subscriber: {},
    maxRoomBytes: 50_000,
    memory: server,
  });
  const publisher = room.publish("k".repeat(24), () => {});
  for (let t = 0; t < 8; t++) {
    publisher.start(`t${t}`);
    publisher.push(`t${t}`, initSegment(undefined, 100));
    for (let i = 0; i < 100; i++) {
      publisher.push(`t${t}`, mediaSegment(0, { keyframe: true, size: 1000 }));
      ok(room.memory.used <= 50_000, `room ${room.memory.used}`);
      for (const track of room.tracks()) ok(track.ring.bytes <= 20_000);
    }
  }
  equal(server.used, room.memory.used);
  ok(room.memory.used > 45_000, "the cap is used");
  const sizes = room.tracks().map((t) => t.ring.bytes);
  ok(Math.max(...sizes) - Math.min(...sizes) <= 2000, `shared fairly: ${sizes}`);
  room.end();
  equal(server.used, 0, "an ended room gives its memory back");
});

Deno.test("over the server's cap a new track is refused with CapacityError; a live one drops its own oldest", () => {
  const server = new MemoryBudget(5000);
  const a = new Track("a", { budget: new MemoryBudget(Infinity, server) });
  a.claim(owner, 0);
  a.push(owner, initSegment(undefined, 100), 0);
  for (let i = 0; i < 10; i++) a.push(owner, mediaSegment(i, { keyframe: true, size: 1000 }), i);
  ok(server.used <= 5000);
  const b = new Track("b", { budget: new MemoryBudget(Infinity, server) });
  b.claim(owner, 0);
  b.push(owner, initSegment(undefined, 50), 0);
  throws(
    () => b.push(owner, mediaSegment(0, { keyframe: true, size: 1000 }), 0),
    (err: Error) => err instanceof CapacityError && /--max-memory-mb/.test(err.message),
  );
  equal(server.rejected, 1);
  a.push(owner, mediaSegment(99, { keyframe: true, size: 1000 }), 99); // still streams
  ok(server.used <= 5000);
});

Deno.test("a parser's memory counts like media: older media makes room, then CapacityError; release() gives it all back", () => {
  const room = new MemoryBudget(4000, new MemoryBudget(Infinity));
  const track = new Track("a", { budget: room });
  track.claim(owner, 0);
  track.push(owner, initSegment(undefined, 100), 0);
  for (let i = 0; i < 3; i++) track.push(owner, mediaSegment(i, { keyframe: true, size: 1000 }), i);
  equal(room.used, 3100);
  const parser = track.parserMemory();
  parser.grow(1500); // the oldest keyframe goes
  equal(parser.held, 1500);
  equal(room.used, 3600);
  throws(
    () => parser.grow(3000), // all the media going would not be enough
    (err: Error) =>
      err instanceof CapacityError && /room's memory for media is full/.test(err.message),
  );
  equal(room.rejected, 1);
  equal(parser.held, 1500);
  equal(room.used, 1600, "the media went trying");
  parser.release();
  parser.release();
  equal(room.used, 100, "the init stays");
  parser.grow(500); // a push that was under way when the stream ended
  equal(room.used, 100, "a released lease counts nothing more");
});

Deno.test("Publisher.start() gives each stream its own parser memory and takes the last one back", () => {
  const hub = new Hub({ now: fakeClock().now, log: memoryLogger(), maxMemoryBytes: 1 << 20 });
  const { room, key } = hub.create({});
  const publisher = room.publish(key, () => {});
  const stream = (track: string) => (publisher.start(track), publisher.parserMemory(track));
  stream("camera").grow(1000);
  stream("camera").grow(300); // a new stream: the first one's buffer is gone
  stream("board").grow(200);
  equal(hub.memory.used, 500);
  publisher.stop("board");
  equal(hub.memory.used, 300);
  publisher.release();
  equal(hub.memory.used, 0);
});

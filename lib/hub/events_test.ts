import { deepEqual, equal } from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { type RoomEvent, RoomEvents } from "./events.ts";
import { Room } from "./room.ts";
import { fakeClock, FakeSink, initSegment, mediaSegment } from "./_testing.ts";

const KEY = "k".repeat(24);

function setup() {
  const wall = fakeClock(1_700_000_000_000);
  const room = new Room("abcdefghijkl", KEY, "Algebra", {
    now: fakeClock(0).now,
    wallClock: wall.now,
    log: memoryLogger(),
    maxViewers: 1,
    maxTracks: 8,
    takeoverAfterMs: 5000,
    ring: {},
    subscriber: {},
  });
  const seen: RoomEvent[] = [];
  room.events.subscribe((e) => seen.push(e));
  return { room, wall, seen };
}

Deno.test("RoomEvents: a throwing listener is reported and the others still get the event", () => {
  const errors: unknown[] = [];
  const events = new RoomEvents({ onError: (e) => errors.push(e) });
  const got: string[] = [];
  events.subscribe(() => {
    throw new Error("broken");
  });
  const stop = events.subscribe((e) => got.push(e.type));
  events.emit({ type: "ink", at: 1 });
  stop();
  events.emit({ type: "ink", at: 2 });
  deepEqual(got, ["ink"]);
  equal(errors.length, 2, "reported on each emit, never thrown");
  equal(events.listeners, 1);
});

Deno.test("Room emits live, track-start, track-init, title and track-stop in order", () => {
  const { room, seen, wall } = setup();
  const publisher = room.publish(KEY, () => {});
  publisher.start("camera", 'video/webm; codecs="vp8"');
  publisher.push("camera", initSegment());
  publisher.push("camera", mediaSegment(0, { keyframe: true }));
  wall.advance(1000);
  room.rename("Geometry");
  room.rename("Geometry"); // unchanged: no event
  publisher.push("camera", initSegment('video/webm; codecs="vp9"'));
  publisher.stop("camera");
  deepEqual(seen.map((e) => [e.type, e.track ?? e.title ?? e.live]), [
    ["live", true],
    ["track-start", "camera"],
    ["track-init", "camera"],
    ["title", "Geometry"],
    ["track-init", "camera"],
    ["track-stop", "camera"],
    ["live", false],
  ]);
  equal(seen[1].mime, 'video/webm; codecs="vp8"');
  equal(seen[4].mime, 'video/webm; codecs="vp9"');
  equal(seen[3].at, 1_700_000_001_000);
});

Deno.test("a service join is not a viewer and does not count against maxViewers", () => {
  const { room } = setup();
  room.join(new FakeSink(), { service: true, label: "recorder" });
  equal(room.idleSince, 0, "a room with only its recorder is idle (and expires)");
  room.join(new FakeSink());
  equal(room.viewers, 1);
  equal(room.state().viewers, 1);
  const publisher = room.publish(KEY, () => {});
  publisher.start("camera");
  publisher.push("camera", initSegment());
  equal(room.stats().tracks[0].viewers, 1, "nor a track's viewer");
});

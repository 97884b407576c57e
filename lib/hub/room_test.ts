import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  AuthError,
  CapacityError,
  CLOSE,
  ConflictError,
  NotFoundError,
  ProtocolError,
  UserError,
} from "../errors.ts";
import { memoryLogger } from "../log.ts";
import { Room, type RoomOptions } from "./room.ts";
import { fakeClock, FakeSink, initSegment, mediaSegment } from "./_testing.ts";

const KEY = "k".repeat(24);

function setup(options: Partial<RoomOptions> = {}) {
  const clock = fakeClock(0);
  const wall = fakeClock(1_700_000_000_000);
  const room = new Room("abcdefghijkl", KEY, "Algebra", {
    now: clock.now,
    wallClock: wall.now,
    log: memoryLogger(),
    maxViewers: 500,
    maxTracks: 8,
    takeoverAfterMs: 5000,
    ring: {},
    subscriber: {},
    ...options,
  });
  return { clock, wall, room };
}

Deno.test("Room.checkKey() accepts only the exact key", () => {
  const { room } = setup();
  ok(room.checkKey(KEY));
  equal(room.checkKey(KEY.slice(0, -1)), false);
  equal(room.checkKey(KEY + "k"), false);
  equal(room.checkKey(""), false);
});

Deno.test("Room.publish() with a wrong key throws AuthError", () => {
  const { room } = setup();
  throws(() => room.publish("wrong", () => {}), AuthError);
  equal(room.publishers, 0);
});

Deno.test("Room.join() beyond maxViewers throws CapacityError that says what to do", () => {
  const { room } = setup({ maxViewers: 2 });
  room.join(new FakeSink());
  room.join(new FakeSink());
  throws(() => room.join(new FakeSink()), (err: unknown) => {
    ok(err instanceof CapacityError);
    ok(/full \(2 viewers\); try again later/.test(err.message));
    return true;
  });
});

Deno.test("a second publisher on a live track gets ConflictError; the first keeps it", () => {
  const { room } = setup();
  const first = room.publish(KEY, () => {});
  first.start("camera", "video/webm");
  first.push("camera", initSegment());
  const second = room.publish(KEY, () => {});
  throws(() => second.start("camera"), ConflictError);
  second.start("whiteboard");
  deepEqual(room.state().tracks.map((t) => t.name), ["camera", "whiteboard"]);
});

Deno.test("a publisher that reconnects with the key resumes its tracks", () => {
  const { room } = setup();
  const sink = new FakeSink();
  room.join(sink);
  const first = room.publish(KEY, () => {});
  first.start("camera");
  first.push("camera", initSegment());
  first.release(); // connection dropped
  equal(room.state().live, false);
  const again = room.publish(KEY, () => {});
  again.start("camera");
  again.push("camera", initSegment());
  again.push("camera", mediaSegment(0, { keyframe: true }));
  deepEqual(sink.timeline, ["init", "init", 0]);
  equal(room.state().live, true);
});

Deno.test("Publisher.push() before track-start is a ProtocolError", () => {
  const { room } = setup();
  const publisher = room.publish(KEY, () => {});
  throws(() => publisher.push("camera", initSegment()), ProtocolError);
});

Deno.test("bad track names and too many tracks are UserErrors", () => {
  const { room } = setup({ maxTracks: 1 });
  const publisher = room.publish(KEY, () => {});
  throws(() => publisher.start("Camera!"), UserError);
  publisher.start("camera");
  throws(() => publisher.start("whiteboard"), UserError);
});

Deno.test("a viewer that joins before the presenter is fed when the tracks start", () => {
  const { room } = setup();
  const all = new FakeSink();
  const onlyBoard = new FakeSink();
  room.join(all);
  room.join(onlyBoard, { tracks: ["whiteboard"] });
  const publisher = room.publish(KEY, () => {});
  for (const track of ["camera", "whiteboard"]) {
    publisher.start(track);
    publisher.push(track, initSegment());
    publisher.push(track, mediaSegment(0, { keyframe: true }));
  }
  deepEqual(all.written.map((p) => p.track), ["camera", "camera", "whiteboard", "whiteboard"]);
  deepEqual(onlyBoard.written.map((p) => p.track), ["whiteboard", "whiteboard"]);
});

Deno.test("viewers never create tracks", () => {
  const { room } = setup();
  const viewer = room.join(new FakeSink());
  throws(() => viewer.watch("camera"), NotFoundError);
  throws(() => room.join(new FakeSink(), { tracks: ["Bad!"] }), UserError);
  deepEqual(room.state().tracks, []);
});

Deno.test("Room.state() shows tracks, viewers and liveSince; revision moves on change", () => {
  const { room, wall } = setup();
  deepEqual(room.state(), {
    live: false,
    tracks: [],
    viewers: 0,
    liveSince: null,
    title: "Algebra",
  });
  const r0 = room.revision;
  const viewer = room.join(new FakeSink());
  ok(room.revision > r0);
  const publisher = room.publish(KEY, () => {});
  publisher.start("camera", "video/webm");
  equal(room.liveSince, null);
  publisher.push("camera", initSegment());
  deepEqual(room.state(), {
    live: true,
    tracks: [{ name: "camera", mime: 'video/webm; codecs="vp8"', live: true }],
    viewers: 1,
    liveSince: wall.now(),
    title: "Algebra",
  });
  publisher.stop("camera");
  equal(room.liveSince, null);
  viewer.unsubscribe();
  equal(room.viewers, 0);
});

Deno.test("Room.end() closes every viewer with 'room ended' and ends publishers", () => {
  const { room } = setup();
  const sinks = [new FakeSink(), new FakeSink()];
  for (const sink of sinks) room.join(sink);
  const ends: string[] = [];
  room.publish(KEY, (_code, reason) => void ends.push(reason)).start("camera");
  room.end();
  for (const sink of sinks) deepEqual(sink.closed, { code: CLOSE.roomEnded, reason: "room ended" });
  deepEqual(ends, ["room ended"]);
  equal(room.viewers, 0);
  equal(room.publishers, 0);
  equal(room.track("camera")?.viewers, 0);
  ok(room.ended);
});

Deno.test("Room.idleSince is set only with no publisher and no viewer", () => {
  const { room, clock } = setup();
  equal(room.idleSince, 0);
  clock.advance(10);
  const viewer = room.join(new FakeSink());
  equal(room.idleSince, null);
  clock.advance(10);
  viewer.unsubscribe();
  equal(room.idleSince, 20);
});

Deno.test("Room.rename() cleans the title, moves the revision and refuses long titles", () => {
  const { room } = setup();
  const r0 = room.revision;
  room.rename("  Geometry ");
  equal(room.title, "Geometry");
  equal(room.state().title, "Geometry");
  ok(room.revision > r0);
  const r1 = room.revision;
  room.rename("Geometry");
  equal(room.revision, r1, "the same title changes nothing");
  room.rename("   ");
  equal(room.title, "Untitled room");
  throws(() => room.rename("x".repeat(201)), UserError);
  room.end();
  throws(() => room.rename("After"), NotFoundError);
});

Deno.test("Room.choose() changes a viewer's tracks, now and for tracks started later", () => {
  const { room } = setup();
  const sink = new FakeSink();
  const viewer = room.join(sink, { tracks: ["audio"] });
  const publisher = room.publish(KEY, () => {});
  for (const track of ["audio", "camera"]) {
    publisher.start(track);
    publisher.push(track, initSegment());
    publisher.push(track, mediaSegment(0, { keyframe: true }));
  }
  deepEqual(viewer.tracks, ["audio"]);
  room.choose(viewer, ["audio", "camera", "whiteboard"]);
  deepEqual(viewer.tracks, ["audio", "camera"]);
  publisher.start("whiteboard");
  deepEqual(viewer.tracks, ["audio", "camera", "whiteboard"]);
  room.choose(viewer, ["audio"]);
  deepEqual(viewer.tracks, ["audio"]);
  room.choose(viewer, null);
  deepEqual(viewer.tracks.sort(), ["audio", "camera", "whiteboard"]);
  throws(() => room.choose(viewer, ["Bad!"]), UserError);
});

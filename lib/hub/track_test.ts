import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { CLOSE, ConflictError } from "../errors.ts";
import { Subscriber } from "./subscriber.ts";
import { Track } from "./track.ts";
import { fakeClock, FakeSink, initSegment, mediaSegment } from "./_testing.ts";

const owner = () => {
  const closes: string[] = [];
  return { closes, close: (_code: number, reason: string) => void closes.push(reason) };
};

Deno.test("Track.claim() by a second publisher on a live track throws ConflictError", () => {
  const clock = fakeClock();
  const track = new Track("camera");
  const first = owner();
  track.claim(first, clock.now());
  track.push(first, initSegment(), clock.now());
  clock.advance(1000);
  throws(() => track.claim(owner(), clock.now()), ConflictError);
  equal(track.owner, first);
});

Deno.test("Track.claim() takes over from a publisher silent for takeoverAfterMs", () => {
  const clock = fakeClock();
  const track = new Track("camera", { takeoverAfterMs: 5000 });
  const stale = owner();
  track.claim(stale, clock.now());
  clock.advance(5000);
  const fresh = owner();
  track.claim(fresh, clock.now());
  equal(track.owner, fresh);
  deepEqual(stale.closes, ["replaced by a newer publisher connection"]);
});

Deno.test("Track.release() frees the slot so a reconnecting publisher resumes at once", () => {
  const clock = fakeClock();
  const track = new Track("camera");
  const first = owner();
  track.claim(first, clock.now());
  track.release(first);
  const again = owner();
  track.claim(again, clock.now());
  equal(track.owner, again);
});

Deno.test("Track.push() ignores media before the first init and from non-owners", () => {
  const clock = fakeClock();
  const track = new Track("camera");
  const o = owner();
  track.claim(o, clock.now());
  track.push(o, mediaSegment(0, { keyframe: true }), clock.now());
  equal(track.ring.length, 0);
  track.push(o, initSegment(), clock.now());
  track.push(owner(), mediaSegment(0, { keyframe: true }), clock.now());
  equal(track.ring.length, 0);
  ok(track.live);
});

Deno.test("Track.reset() forgets the stream; viewers wait for the next init", () => {
  const clock = fakeClock();
  const track = new Track("camera");
  const o = owner();
  track.claim(o, clock.now());
  track.push(o, initSegment(), clock.now());
  track.push(o, mediaSegment(0, { keyframe: true }), clock.now());
  track.reset();
  equal(track.ring.length, 0);
  equal(track.live, false);
  const sink = new FakeSink();
  const sub = new Subscriber(sink, { now: clock.now, lookup: () => track });
  sub.watch("camera");
  deepEqual(sink.timeline, []);
});

Deno.test("Track.stats() reports bytes, segments, bitrate, buffer, keyframe interval and viewers", () => {
  const clock = fakeClock(0);
  const track = new Track("camera");
  const o = owner();
  track.claim(o, clock.now(), "video/webm");
  equal(track.stats(clock.now()).mime, "video/webm");
  track.push(o, initSegment('video/webm; codecs="vp8"', 40), clock.now());
  const fast = new Subscriber(new FakeSink(), { now: clock.now, lookup: () => track });
  const slow = new FakeSink();
  slow.pending = 1e9;
  const lagging = new Subscriber(slow, { now: clock.now, lookup: () => track, maxLagMs: 1000 });
  fast.watch("camera");
  lagging.watch("camera");
  // 5 s at 1000 bytes every 100 ms = 80 kbit/s; keyframe every 2 s of media time.
  for (let i = 0; i < 50; i++) {
    track.push(o, mediaSegment(i * 100, { keyframe: i % 20 === 0, size: 1000 }), clock.now());
    clock.advance(100);
  }
  const stats = track.stats(clock.now());
  equal(stats.name, "camera");
  equal(stats.mime, 'video/webm; codecs="vp8"');
  equal(stats.live, true);
  equal(stats.viewers, 2);
  equal(stats.segmentsIn, 51);
  equal(stats.bytesIn, 50_040);
  equal(stats.bytesOut, 50_040); // the fast viewer got all; the slow one nothing
  ok(stats.skipped > 0);
  equal(stats.skipped, lagging.stats.skipped);
  ok(Math.abs(stats.bitrate - 80_000) <= 2000, `bitrate ${stats.bitrate}`);
  equal(stats.keyframeIntervalMs, 2000);
  equal(stats.bufferedSeconds, 4.9);
});

Deno.test("Track.claim() closes the replaced publisher with CLOSE.replaced", () => {
  const clock = fakeClock();
  const track = new Track("camera", { takeoverAfterMs: 0 });
  let code = 0;
  track.claim({ close: (c) => void (code = c) }, clock.now());
  track.claim(owner(), clock.now());
  equal(code, CLOSE.replaced);
});

Deno.test("Track numbers its inits (generations) and the media of each from 0", () => {
  const clock = fakeClock();
  const track = new Track("camera", { firstGeneration: 500 });
  const o = owner();
  track.claim(o, clock.now());
  track.push(o, mediaSegment(0, { keyframe: true }), clock.now()); // before any init: dropped
  track.push(o, initSegment(), clock.now());
  equal(track.init?.generation, 500);
  track.push(o, mediaSegment(0, { keyframe: true }), clock.now());
  track.push(o, mediaSegment(100), clock.now());
  deepEqual(track.ring.toArray().map((p) => [p.generation, p.seq]), [[500, 0], [500, 1]]);
  equal(track.nextSeq, 2);
  track.push(o, initSegment(), clock.now());
  track.push(o, mediaSegment(0, { keyframe: true }), clock.now());
  equal(track.init?.generation, 501);
  deepEqual(track.ring.toArray().map((p) => [p.generation, p.seq]), [[501, 0]]);
  equal(track.ring.at(0), track.ring.toArray()[0]);
  equal(track.ring.at(1), undefined);
});

Deno.test("Track.changed() resolves on the next packet and on reset, once per change", async () => {
  const clock = fakeClock();
  const track = new Track("camera");
  const o = owner();
  track.claim(o, clock.now());
  const first = track.changed();
  equal(track.changed(), first, "waiters share one promise");
  track.push(o, initSegment(), clock.now());
  await first;
  const second = track.changed();
  ok(second !== first);
  track.reset();
  await second;
});

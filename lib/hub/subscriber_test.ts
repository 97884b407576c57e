import { deepEqual, equal, ok } from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { CLOSE } from "../errors.ts";
import { Subscriber, type SubscriberLimits } from "./subscriber.ts";
import { Track } from "./track.ts";
import { fakeClock, FakeSink, initSegment, mediaSegment } from "./_testing.ts";

/** One track with a publisher, and a way to add viewers sharing the clock and logger. */
function setup(limits: Partial<SubscriberLimits> = {}) {
  const clock = fakeClock(0);
  const log = memoryLogger();
  const owner = { close() {} };
  const track = new Track("camera");
  track.claim(owner, clock.now());
  const viewer = (sink = new FakeSink()) => {
    const sub = new Subscriber(sink, { ...limits, now: clock.now, log, lookup: () => track });
    sub.watch("camera");
    return { sink, sub };
  };
  /** Pushes a segment every `stepMs`, keyframe every `gop` segments, starting at media time `from`. */
  const stream = (count: number, { from = 0, gop = 5, stepMs = 100 } = {}) => {
    for (let i = 0; i < count; i++) {
      const t = from + i * stepMs;
      track.push(owner, mediaSegment(t, { keyframe: (t / stepMs) % gop === 0 }), clock.now());
      clock.advance(stepMs);
    }
  };
  return { clock, log, owner, track, viewer, stream };
}

Deno.test("a joining viewer gets the init first, then media from the newest keyframe on", () => {
  const { track, owner, clock, viewer, stream } = setup();
  track.push(owner, initSegment(), clock.now());
  stream(8); // keyframes at 0 and 500
  const { sink } = viewer();
  deepEqual(sink.timeline, ["init", 500, 600, 700]);
  stream(2, { from: 800 });
  deepEqual(sink.timeline, ["init", 500, 600, 700, 800, 900]);
});

Deno.test("a viewer that joins before any init waits and is fed when the stream begins", () => {
  const { track, owner, clock, viewer, stream } = setup();
  const { sink } = viewer();
  deepEqual(sink.timeline, []);
  track.push(owner, initSegment(), clock.now());
  stream(3);
  deepEqual(sink.timeline, ["init", 0, 100, 200]);
});

Deno.test("a new init clears the ring and reaches viewers as a re-init", () => {
  const { track, owner, clock, viewer, stream } = setup();
  track.push(owner, initSegment(), clock.now());
  stream(4);
  const stuck = new FakeSink();
  stuck.pending = 1e9; // takes nothing: the old init and segments stay queued
  const slow = viewer(stuck);
  const fast = viewer();
  stream(2, { from: 400 });
  track.push(owner, initSegment('video/webm; codecs="vp9"'), clock.now());
  equal(track.ring.length, 0);
  stream(2); // new recorder: media time restarts at 0
  deepEqual(fast.sink.timeline, ["init", 0, 100, 200, 300, 400, 500, "init", 0, 100]);
  slow.sink.drain();
  slow.sub.pump();
  // Nothing of the old stream follows the new init, and the new init comes first.
  deepEqual(slow.sink.timeline, ["init", 0, 100]);
  equal((slow.sink.written[0].segment as { mime: string }).mime, 'video/webm; codecs="vp9"');
  // A late joiner only sees the new stream.
  deepEqual(viewer().sink.timeline, ["init", 0, 100]);
});

Deno.test("every viewer gets the same packets, not copies", () => {
  const { track, owner, clock, viewer, stream } = setup();
  const a = viewer();
  const b = viewer();
  track.push(owner, initSegment(), clock.now());
  stream(3);
  equal(a.sink.written.length, 4);
  a.sink.written.forEach((p, i) => {
    equal(p, b.sink.written[i]);
    equal(p.segment.bytes, b.sink.written[i].segment.bytes);
  });
});

Deno.test("a sink is only handed packets that fit under the low watermark", () => {
  const { track, owner, clock, viewer, stream } = setup({ lowWatermark: 250 });
  track.push(owner, initSegment(), clock.now()); // 40 bytes
  const { sink, sub } = viewer(new FakeSink({ buffering: true }));
  stream(4); // 100 bytes each
  deepEqual(sink.timeline, ["init", 0, 100]); // 40, 140, 240; 340 would not fit under 250
  equal(sub.stats.queued, 2);
  sink.drain();
  sub.pump();
  deepEqual(sink.timeline, ["init", 0, 100, 200, 300]);
});

Deno.test("a packet larger than the low watermark still goes out, alone, once the sink is empty", () => {
  const { track, owner, clock, viewer } = setup({ lowWatermark: 250 });
  track.push(owner, initSegment(), clock.now());
  const { sink, sub } = viewer(new FakeSink({ buffering: true }));
  track.push(owner, mediaSegment(0, { keyframe: true, size: 1000 }), clock.now());
  deepEqual(sink.timeline, ["init"], "waits for the 40 pending bytes to drain");
  sink.drain();
  sub.pump();
  deepEqual(sink.timeline, ["init", 0]);
  equal(sink.pending, 1000);
});

Deno.test("a sink that refuses a write keeps the packet queued for the next pump", () => {
  const { track, owner, clock, viewer, stream } = setup();
  track.push(owner, initSegment(), clock.now());
  const refusing = new FakeSink();
  refusing.accept = false;
  const { sink, sub } = viewer(refusing);
  stream(2);
  deepEqual(sink.timeline, []);
  sink.accept = true;
  sub.pump();
  deepEqual(sink.timeline, ["init", 0, 100]);
});

Deno.test("a slow viewer does not change what a fast viewer receives, and its queue stays bounded", () => {
  const { track, owner, clock, viewer, stream } = setup({ maxQueue: 20, stallMs: 1e9 });
  const fast = viewer();
  const slow = viewer(new FakeSink());
  slow.sink.pending = 1e9; // never drains
  track.push(owner, initSegment(), clock.now());
  let most = 0;
  for (let i = 0; i < 100; i++) {
    stream(1, { from: i * 100 });
    most = Math.max(most, slow.sub.stats.queued);
  }
  deepEqual(fast.sink.timeline, ["init", ...Array.from({ length: 100 }, (_, i) => i * 100)]);
  ok(most <= 21, `slow queue reached ${most}`);
  // At 100 ms a segment, a 2 s lag bound keeps it near 20 too.
  ok(slow.sub.stats.skipped > 70, `skipped ${slow.sub.stats.skipped}`);
  equal(slow.sink.written.length, 0);
});

Deno.test("a viewer more than maxLagMs behind skips to the newest keyframe and counts skipped segments", () => {
  const { track, owner, clock, log, viewer, stream } = setup({ maxLagMs: 2000 });
  track.push(owner, initSegment(), clock.now());
  const { sink, sub } = viewer();
  sink.pending = 1e9;
  stream(1); // 0: the init and this keyframe wait in the queue
  sink.pending = 0;
  sub.pump();
  deepEqual(sink.timeline, ["init", 0]);
  sink.pending = 1e9;
  stream(21, { from: 100 }); // 100..2100 queued; keyframes at 500, 1000, 1500, 2000
  equal(sub.stats.queued, 21);
  sub.pump(); // the head (100) is now more than 2 s old: keep from the newest keyframe on
  equal(sub.stats.queued, 2);
  equal(sub.stats.skipped, 19);
  sink.pending = 0;
  sub.pump();
  deepEqual(sink.timeline, ["init", 0, 2000, 2100]);
  equal(track.stats(clock.now()).skipped, 19);
  deepEqual(log.lines, ["warn viewer: 1 viewer too slow, skipped 19 segments (viewer)"]);
});

Deno.test("a lagging viewer with no fresh keyframe queued waits for the next keyframe", () => {
  const { track, owner, clock, viewer, stream } = setup({ maxLagMs: 1000 });
  track.push(owner, initSegment(), clock.now());
  const { sink, sub } = viewer();
  stream(1); // keyframe 0 delivered with the init
  sink.pending = 1e9;
  stream(12, { from: 100, gop: 100 }); // no keyframe among 100..1200
  equal(sub.stats.queued, 0);
  sink.pending = 0;
  stream(3, { from: 1300, gop: 100 }); // still none: dropped
  stream(2, { from: 10000, gop: 100 }); // 10000 is a keyframe
  deepEqual(sink.timeline, ["init", 0, 10000, 10100]);
  equal(sub.stats.skipped, 15);
});

Deno.test("skips are logged at most once a second with the count since the last line", () => {
  const { track, owner, clock, log, viewer, stream } = setup({ maxLagMs: 300 });
  track.push(owner, initSegment(), clock.now());
  const { sink } = viewer();
  sink.pending = 1e9;
  stream(30, { gop: 100 }); // 3 s of media, no keyframe after 0: skips keep happening
  ok(log.lines.length >= 2 && log.lines.length <= 3, log.lines.join("\n"));
  ok(log.lines.every((l) => /^warn viewer: 1 viewer too slow, skipped \d+ segments/.test(l)));
});

Deno.test("a stalled viewer is closed after stallMs and leaves the track", () => {
  const { track, owner, clock, viewer, stream } = setup({ stallMs: 30_000 });
  track.push(owner, initSegment(), clock.now());
  const { sink, sub } = viewer();
  sink.pending = 1e9;
  stream(1);
  clock.advance(29_000);
  sub.pump();
  equal(sink.closed, null);
  clock.advance(1_000);
  sub.pump();
  deepEqual(sink.closed, {
    code: CLOSE.tooSlow,
    reason: "viewer stalled: nothing could be sent for 30 s",
  });
  ok(sub.closed);
  equal(track.viewers, 0);
});

Deno.test("a viewer that drains in time is never closed as stalled", () => {
  const { track, owner, clock, viewer, stream } = setup({ stallMs: 1000 });
  track.push(owner, initSegment(), clock.now());
  const { sink, sub } = viewer(new FakeSink({ buffering: true }));
  for (let i = 0; i < 50; i++) {
    stream(1, { from: i * 100 });
    if (i % 5 === 0) sink.drain();
    sub.pump();
  }
  equal(sink.closed, null);
});

Deno.test("a sink that throws ends only that viewer", () => {
  const { track, owner, clock, viewer, stream } = setup();
  const bad = new FakeSink();
  bad.write = () => {
    throw new Error("socket gone");
  };
  const broken = viewer(bad);
  const good = viewer();
  track.push(owner, initSegment(), clock.now());
  stream(2);
  ok(broken.sub.closed);
  deepEqual(good.sink.timeline, ["init", 0, 100]);
});

Deno.test("unsubscribe() detaches from every track without closing the sink", () => {
  let closed = 0;
  const clock = fakeClock();
  const a = new Track("camera");
  const b = new Track("whiteboard");
  const tracks = new Map([["camera", a], ["whiteboard", b]]);
  const sink = new FakeSink();
  const sub = new Subscriber(sink, {
    now: clock.now,
    lookup: (name) => tracks.get(name)!,
    onClose: () => closed++,
  });
  sub.watch("camera");
  sub.watch("whiteboard");
  deepEqual([a.viewers, b.viewers], [1, 1]);
  sub.unwatch("camera");
  deepEqual(sub.tracks, ["whiteboard"]);
  sub.unsubscribe();
  sub.unsubscribe();
  deepEqual([a.viewers, b.viewers, closed], [0, 0, 1]);
  equal(sink.closed, null);
});

Deno.test("text frames keep their order with media and wait behind the same backpressure", () => {
  const { track, owner, clock, viewer, stream } = setup({ lowWatermark: 140 });
  track.push(owner, initSegment(), clock.now());
  const { sink, sub } = viewer(new FakeSink({ buffering: true }));
  stream(1); // init (40) + 0 (100) written: pending 140, at the watermark
  sub.send({ text: "hello" });
  stream(1, { from: 100 });
  sub.send({ text: "after" });
  deepEqual(sink.sent, ["init", 0]);
  deepEqual([sub.stats.queued, sub.stats.queuedText], [3, 2]);
  sink.drain();
  ok(sub.pump() === false, "nothing left queued");
  deepEqual(sink.sent, ["init", 0, "hello", 100, "after"]);
  equal(sub.stats.queuedText, 0);
});

Deno.test("a keyed text frame replaces its queued predecessor in place", () => {
  const { viewer } = setup();
  const { sink, sub } = viewer();
  sink.pending = 1e9;
  sub.send({ text: "state 1", key: "state" });
  sub.send({ text: "chat a", droppable: true });
  sub.send({ text: "state 2", key: "state" });
  sub.send({ text: "state 3", key: "state" });
  equal(sub.stats.queuedText, 2);
  sink.drain();
  sub.pump();
  deepEqual(sink.texts, ["state 3", "chat a"]);
});

Deno.test("past maxText the oldest droppable text frame goes, counted as skipped", () => {
  const { viewer, log } = setup({ maxText: 3 });
  const { sink, sub } = viewer();
  sink.pending = 1e9;
  sub.send({ text: "error 1" });
  for (let i = 1; i <= 5; i++) sub.send({ text: `chat ${i}`, droppable: true });
  equal(sub.stats.queuedText, 3);
  equal(sub.stats.skipped, 3);
  sink.drain();
  sub.pump();
  deepEqual(sink.texts, ["error 1", "chat 4", "chat 5"]);
  equal(log.lines.length, 1, "one skip line");
  ok(!sub.closed);
});

Deno.test("a viewer whose text queue is full of undroppable frames is closed as too slow", () => {
  const { viewer } = setup({ maxText: 2 });
  const { sink, sub } = viewer();
  sink.pending = 1e9;
  sub.send({ text: "a" });
  sub.send({ text: "b" });
  equal(sink.closed, null);
  sub.send({ text: "c" });
  deepEqual(sink.closed, {
    code: CLOSE.tooSlow,
    reason: "viewer too slow: it is not reading its messages",
  });
  ok(sub.closed);
});

Deno.test("a lag skip drops media but keeps queued text frames", () => {
  const { track, owner, clock, viewer, stream } = setup({ maxLagMs: 500 });
  track.push(owner, initSegment(), clock.now());
  const { sink, sub } = viewer();
  sink.pending = 1e9;
  sub.send({ text: "chat", droppable: true });
  stream(10, { gop: 100 }); // 0 is the only keyframe; lag passes 500 ms
  equal(sub.stats.queuedText, 1);
  sink.drain();
  sub.pump();
  equal(sink.texts.length, 1);
  ok(sub.stats.skipped > 0);
});

Deno.test("the sink is asked to be pumped again only while data is left queued", () => {
  const { track, owner, clock, viewer, stream } = setup();
  track.push(owner, initSegment(), clock.now());
  const { sink, sub } = viewer();
  stream(3);
  equal(sink.wakes, 0, "a viewer that keeps up never needs the ticker");
  sink.pending = 1e9;
  stream(1, { from: 300 });
  equal(sink.wakes, 1);
  ok(sub.backlogged);
  ok(sub.pump(), "still queued");
  sink.drain();
  equal(sub.pump(), false);
  equal(sub.backlogged, false);
});

Deno.test("a sink without text ignores send()", () => {
  const { viewer } = setup();
  const bare = new FakeSink();
  (bare as { writeText?: unknown }).writeText = undefined;
  const { sub } = viewer(bare);
  sub.send({ text: "hello" });
  equal(sub.stats.queued, 0);
});

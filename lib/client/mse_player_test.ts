import assert from "node:assert/strict";
import { hasAudio, type MseEnv, MsePlayer, type VideoLike } from "./mse_player.ts";

class FakeRanges {
  constructor(public list: [number, number][] = []) {}
  get length() {
    return this.list.length;
  }
  start(i: number) {
    return this.list[i][0];
  }
  end(i: number) {
    return this.list[i][1];
  }
}

class FakeSourceBuffer extends EventTarget {
  updating = false;
  mode = "";
  timestampOffset = 0;
  buffered = new FakeRanges();
  ops: string[] = [];
  constructor(public mime: string) {
    super();
  }
  appendBuffer(data: Uint8Array) {
    this.updating = true;
    this.ops.push(`append ${[...data].join(",")}`);
  }
  abort() {
    this.ops.push("abort");
  }
  remove(start: number, end: number) {
    this.updating = true;
    this.ops.push(`remove ${start}-${end}`);
  }
  finish() {
    this.updating = false;
    this.dispatchEvent(new Event("updateend"));
  }
}

class FakeMediaSource extends EventTarget {
  static all: FakeMediaSource[] = [];
  static isTypeSupported = () => true;
  readyState = "closed";
  sb: FakeSourceBuffer | null = null;
  constructor() {
    super();
    FakeMediaSource.all.push(this);
  }
  addSourceBuffer(mime: string) {
    return this.sb = new FakeSourceBuffer(mime);
  }
  open() {
    this.readyState = "open";
    this.dispatchEvent(new Event("sourceopen"));
  }
}

class FakeVideo extends EventTarget implements VideoLike {
  src = "";
  currentTime = 0;
  playbackRate = 1;
  disableRemotePlayback = false;
  paused = true;
  plays = 0;
  buffered = new FakeRanges() as unknown as TimeRanges;
  play() {
    this.plays++;
    this.paused = false;
    return Promise.resolve();
  }
  pause() {
    this.paused = true;
  }
  attributes = new Map<string, string>();
  setAttribute(name: string, value: string) {
    this.attributes.set(name, value);
  }
  removeAttribute(name: string) {
    this.attributes.delete(name);
    if (name === "src") this.src = "";
  }
  load() {}
}

function setup() {
  FakeMediaSource.all = [];
  let now = 0;
  const env: MseEnv = {
    MediaSource: FakeMediaSource as unknown as MseEnv["MediaSource"],
    createObjectURL: () => `blob:${FakeMediaSource.all.length}`,
    revokeObjectURL: () => {},
    now: () => now,
  };
  const video = new FakeVideo();
  const player = new MsePlayer(video, env);
  const ms = () => FakeMediaSource.all[FakeMediaSource.all.length - 1];
  return { video, player, ms, advance: (ms: number) => now += ms };
}

const b = (...n: number[]) => new Uint8Array(n);

Deno.test("MsePlayer appends the init, then queued media in one append, in segments mode", () => {
  const { video, player, ms } = setup();
  player.init("video/webm;codecs=vp8", b(1));
  player.media(b(2), true);
  player.media(b(3), false);
  assert.equal(video.src, "blob:1");
  ms().open();
  const sb = ms().sb!;
  assert.equal(sb.mode, "segments");
  assert.deepEqual(sb.ops, ["append 1,2,3"]);
  player.media(b(4), false);
  player.media(b(5), false);
  assert.equal(sb.ops.length, 1, "one append at a time");
  sb.finish();
  assert.deepEqual(sb.ops, ["append 1,2,3", "append 4,5"]);
});

Deno.test("MsePlayer re-creates the MediaSource on a new init segment", () => {
  const { video, player, ms } = setup();
  player.init("video/webm", b(1));
  ms().open();
  player.media(b(2), true);
  player.init("video/webm", b(9));
  assert.equal(FakeMediaSource.all.length, 2);
  assert.equal(video.src, "blob:2");
  ms().open();
  assert.deepEqual(ms().sb!.ops, ["append 9"]);
  assert.equal(player.stats.resets, 2);
});

/** A voice whose media time 0 is the presenter's 1_000_000, its first media appended. */
function voicePlaying() {
  const env = setup();
  env.player.init("audio/webm;codecs=opus", b(1), 1_000_000);
  env.ms().open();
  env.player.media(b(2), true);
  const sb = env.ms().sb!;
  sb.finish();
  return { ...env, sb };
}

Deno.test("MsePlayer splices another encode of the sound into the same SourceBuffer, by the clock", () => {
  const { video, player, ms, sb } = voicePlaying();
  player.media(b(3), true); // queued while 2 appends: the old stream's, dropped by the splice
  // The small encode started 2.5 s after the voice's media time 0.
  player.splice("audio/webm;codecs=opus", b(7), 1_002_500);
  player.media(b(8), true);
  sb.finish();
  assert.deepEqual(sb.ops, ["append 1", "append 2", "abort", "append 7,8"]);
  assert.equal(sb.timestampOffset, 2.5);
  assert.equal(FakeMediaSource.all.length, 1, "no new MediaSource");
  assert.equal(video.src, "blob:1");
  assert.equal(player.clockMs, 1_000_000, "the timeline keeps its clock");
  assert.equal(player.stats.splices, 1);
  // A decode error starts over from the spliced init, still on the same timeline.
  video.dispatchEvent(new Event("error"));
  ms().open();
  assert.equal(ms().sb!.timestampOffset, 2.5);
  assert.deepEqual(ms().sb!.ops, ["append 7"]);
});

Deno.test("MsePlayer.splice() maps the new encode by its own clock shift, not the old one's", () => {
  const { video, player, sb } = voicePlaying();
  // The old encode ran 300 ms slow: its media time t is the presenter's 1_000_300 + t.
  player.shiftClock(300);
  // The new encode's media time 0 is the presenter's 1_002_500 (+ its own shift, 40 ms, below).
  player.splice("audio/webm;codecs=opus", b(7), 1_002_500);
  sb.finish();
  const presenterAt = (t: number) => player.clockMs! + (t + sb.timestampOffset) * 1000;
  assert.equal(presenterAt(0), 1_002_500, "until its shift is known, the new media by its clock");
  assert.equal(video.attributes.get("data-clock-ms"), String(player.clockMs));
  player.shiftClock(40); // stats: the new encode's shift
  assert.equal(presenterAt(0), 1_002_540);
  assert.equal(presenterAt(1.5), 1_004_040);
  assert.equal(video.attributes.get("data-clock-ms"), String(player.clockMs));
  player.shiftClock(0);
  assert.equal(presenterAt(0), 1_002_500);
});

Deno.test("MsePlayer.splice() without a clock or SourceBuffer starts afresh", () => {
  const { player, ms } = setup();
  player.splice("audio/webm;codecs=opus", b(1), 5_000); // nothing to continue yet
  ms().open();
  player.splice("audio/webm;codecs=opus", b(2)); // no clock: the timelines cannot be matched
  ms().open();
  assert.deepEqual(ms().sb!.ops, ["append 2"]);
  assert.equal(ms().sb!.timestampOffset, 0);
  assert.equal(FakeMediaSource.all.length, 2);
  assert.equal(player.stats.splices, 0);
});

Deno.test("MsePlayer ignores media before any init", () => {
  const { player } = setup();
  player.media(b(1), true);
  assert.equal(FakeMediaSource.all.length, 0);
});

Deno.test("MsePlayer.tick() seeks a late joiner into the buffered range and plays", () => {
  const { video, player, ms } = setup();
  player.init("video/webm", b(1));
  ms().open();
  video.buffered = new FakeRanges([[40, 41]]) as unknown as TimeRanges;
  const d = player.tick();
  assert.equal(d?.reason, "start");
  assert.ok(Math.abs(video.currentTime - 40.75) < 1e-9);
  assert.equal(video.plays, 1);
});

Deno.test("MsePlayer catches up faster on a stream without sound", () => {
  for (const [mime, rate] of [["video/webm;codecs=vp8", 2], ["video/webm;codecs=vp8,opus", 1.25]]) {
    const { video, player, ms } = setup();
    player.init(mime as string, b(1));
    ms().open();
    video.paused = false;
    video.currentTime = 9;
    video.buffered = new FakeRanges([[0, 10]]) as unknown as TimeRanges;
    assert.equal(player.tick()?.rate, rate, mime as string);
    assert.equal(video.playbackRate, rate);
  }
});

Deno.test("hasAudio() reads sound from the MIME type's codecs", () => {
  assert.equal(hasAudio('video/webm; codecs="vp8,opus"'), true);
  assert.equal(hasAudio("video/mp4;codecs=avc1.42E01F,mp4a.40.2"), true);
  assert.equal(hasAudio("audio/webm"), true);
  assert.equal(hasAudio("video/webm;codecs=vp8"), false);
  assert.equal(hasAudio("video/mp4;codecs=avc1.42E01F"), false);
});

Deno.test("MsePlayer.tick() trims played media through SourceBuffer.remove()", () => {
  const { video, player, ms } = setup();
  player.init("video/webm", b(1));
  ms().open();
  const sb = ms().sb!;
  sb.finish();
  video.paused = false;
  video.currentTime = 20;
  video.buffered = new FakeRanges([[0, 20.2]]) as unknown as TimeRanges;
  sb.buffered = new FakeRanges([[0, 20.2]]);
  player.tick();
  assert.deepEqual(sb.ops.at(-1), "remove 0-17");
});

Deno.test("MsePlayer recovers from a decode error at the next keyframe", () => {
  const { video, player, ms } = setup();
  player.init("video/webm", b(1));
  ms().open();
  video.dispatchEvent(new Event("error"));
  player.media(b(5), false);
  player.media(b(6), true);
  ms().open();
  assert.deepEqual(ms().sb!.ops, ["append 1,6"]);
  assert.equal(player.stats.droppedSegments, 1);
});

Deno.test("MsePlayer keeps the init's clock and follows a leader on it", () => {
  const { video, player, ms } = setup();
  player.init("video/webm;codecs=vp8", b(1), 10_000);
  assert.equal(player.clockMs, 10_000);
  assert.equal(video.attributes.get("data-clock-ms"), "10000");
  ms().open();
  video.buffered = new FakeRanges([[0, 4]]) as unknown as TimeRanges;
  video.currentTime = 2.4;
  video.paused = false;
  assert.deepEqual(player.view(), {
    clockMs: 10_000,
    ranges: [{ start: 0, end: 4 }],
    currentTime: 2.4,
  });
  // The leader is at 12_500 on the clock: this video is 100 ms behind, so it speeds up.
  const d = player.follow(12_500, 1)!;
  assert.ok(video.playbackRate > 1, `rate ${video.playbackRate}`);
  assert.equal(d.seekTo, undefined);
  // Far off: a seek to the leader's place.
  player.follow(13_500, 1);
  assert.equal(video.currentTime, 3.5);
  // No media there yet: its own live edge instead (no seek past the buffer).
  player.follow(20_000, 1);
  assert.ok(video.currentTime <= 4, `${video.currentTime}`);
  player.init("video/webm;codecs=vp8", b(1));
  assert.equal(player.clockMs, null);
  assert.equal(video.attributes.has("data-clock-ms"), false);
});

Deno.test("MsePlayer maps its media later by the clock shift the server measured, until a new init", () => {
  const { video, player, ms } = setup();
  player.shiftClock(50); // no clock yet: nothing to shift
  player.init("audio/webm;codecs=opus", b(1), 10_000);
  ms().open();
  video.buffered = new FakeRanges([[0, 4]]) as unknown as TimeRanges;
  video.currentTime = 2;
  player.shiftClock(120);
  assert.equal(player.clockMs, 10_120);
  assert.equal(player.view()?.clockMs, 10_120);
  assert.equal(video.attributes.get("data-clock-ms"), "10120");
  player.init("audio/webm;codecs=opus", b(1), 20_000);
  assert.equal(player.clockMs, 20_000);
});

Deno.test("MsePlayer with a voice pre-roll stays paused until it is buffered; a retune while playing does not pause", () => {
  const { video, player, ms } = setup();
  player.tune({ targetS: 1, prerollS: 1 });
  player.init("audio/webm;codecs=opus", b(1));
  ms().open();
  video.buffered = new FakeRanges([[40, 40.2]]) as unknown as TimeRanges;
  video.currentTime = 40;
  assert.equal(player.tick()?.hold, true);
  assert.equal(video.plays, 0);
  video.buffered = new FakeRanges([[40, 41.1]]) as unknown as TimeRanges;
  assert.equal(player.tick()?.hold, undefined);
  assert.equal(video.plays, 1);
  assert.equal(video.paused, false);
  // Switching profile mid-stream re-tunes: the voice must keep playing.
  player.tune({ targetS: 1.5, prerollS: 1.5 });
  assert.equal(player.tick()?.hold, undefined);
  assert.equal(video.paused, false);
});

Deno.test("MsePlayer: a retune while playing plays a deeper buffer down fast, not by a seek", () => {
  const { video, player, ms } = setup();
  player.tune({ targetS: 1.5, maxLagS: 6 }); // the small voice's deep buffer
  player.init("audio/webm;codecs=opus", b(1));
  ms().open();
  video.paused = false;
  video.currentTime = 40;
  video.buffered = new FakeRanges([[38, 42.6]]) as unknown as TimeRanges;
  assert.equal(player.tick()?.seekTo, undefined);
  // A step up to high (maxLagS 2) with 2.6 s buffered: catch up at 1.25×, keep every word.
  player.tune({ targetS: 0.3, landingS: 0.45 });
  const d = player.tick();
  assert.equal(d?.seekTo, undefined);
  assert.equal(d?.rate, 1.25);
  assert.equal(video.currentTime, 40);
  // Further behind than it was at the switch (a stall later on): the seek comes back.
  video.buffered = new FakeRanges([[38, 44]]) as unknown as TimeRanges;
  assert.equal(player.tick()?.reason, "behind");
});

Deno.test("MsePlayer: a retune while paused keeps the tuning's own maxLagS", () => {
  const { video, player, ms } = setup();
  player.init("audio/webm;codecs=opus", b(1));
  ms().open();
  player.tune({ targetS: 0.3 });
  video.currentTime = 40;
  video.buffered = new FakeRanges([[38, 42.6]]) as unknown as TimeRanges;
  assert.equal(player.tick()?.reason, "behind");
});

Deno.test("MsePlayer retuned to a deeper target while playing plays slower at once; to a shallower one, not", () => {
  const { video, player, ms, advance } = setup();
  player.tune({ targetS: 0.3, landingS: 0.45 });
  player.init("audio/webm;codecs=opus", b(1));
  ms().open();
  video.buffered = new FakeRanges([[40, 41]]) as unknown as TimeRanges;
  video.currentTime = 40.4; // 0.6 s buffered
  player.tick();
  assert.equal(video.paused, false);
  advance(250);
  assert.equal(player.tick()?.rate, 1.1, "above the shallow target: catching up");
  // A step down: the target grows to 1 s with a fill rate; 0.6 s is over half of it.
  player.tune({ targetS: 1, landingS: 1.3, fillRate: 0.9 });
  advance(250);
  assert.equal(player.tick()?.rate, 0.9);
  assert.equal(video.playbackRate, 0.9);
  // Back up: a shallower target does not fill.
  player.tune({ targetS: 0.3, landingS: 0.45, fillRate: 0.9 });
  advance(250);
  assert.notEqual(player.tick()?.rate, 0.9);
});

import { deepEqual, equal, ok } from "node:assert/strict";
import { Hub } from "../hub/hub.ts";
import { fakeClock, fakeRandom, FakeSink } from "../hub/_testing.ts";
import { memoryLogger } from "../log.ts";
import type { InitSegment, Segment } from "../media/segment.ts";
import { newRecordingId, readMeta } from "./meta.ts";
import { Recorder } from "./recorder.ts";
import { fixtureSegments } from "./_testing.ts";

function setup(root: string) {
  const clock = fakeClock(0);
  const log = memoryLogger();
  let errors = 0;
  const recorder = new Recorder({
    root,
    now: clock.now,
    wallClock: () => 1_700_000_000_000 + clock.now(),
    log,
    random: fakeRandom(7),
    graceMs: 10_000,
    onError: () => errors++,
  });
  const hub = new Hub({
    now: clock.now,
    log,
    onRoomCreated: (room, key) => recorder.attach(room, key),
  });
  const { room, key } = hub.create({ title: "Physics" });
  return { clock, log, recorder, hub, room, key, errors: () => errors };
}

/** Pushes segments 100 ms apart, as a live publisher would. */
function pushAll(
  push: (s: Segment) => void,
  segments: Segment[],
  clock: { advance(ms: number): void },
): void {
  for (const s of segments) {
    push(s);
    clock.advance(100);
  }
}

Deno.test("Recorder: one recording per live session, ended after the grace period", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { clock, recorder, room, key } = setup(root);
    const publisher = room.publish(key, () => {});
    publisher.start("camera");
    pushAll((s) => publisher.push("camera", s), fixtureSegments("chromium/vp8-opus.webm"), clock);
    const recording = recorder.recordingOf(room.id)!;
    ok(recording, "recording while live");
    publisher.stop("camera");
    recorder.tick(clock.now());
    clock.advance(9_999);
    recorder.tick(clock.now());
    equal(recorder.recordingOf(room.id), recording, "still within the grace");
    clock.advance(1);
    recorder.tick(clock.now());
    equal(recorder.recordingOf(room.id), null);
    await recorder.close();
    const meta = (await readMeta(`${root}/${recording.id}`))!;
    equal(meta.live, false);
    equal(meta.title, "Physics");
    deepEqual(meta.parts.map((p) => p.file), ["camera.webm"]);
    ok(meta.durationMs > 3900, `${meta.durationMs}`);
    equal(room.viewers, 0, "the recorder is not a viewer");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("Recorder: a write error stops the recording with a log line and a metric; viewers go on", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { clock, log, recorder, room, key, errors } = setup(root);
    // The id the recorder will draw next (same seeded random): make its file a full disk.
    const id = newRecordingId(fakeRandom(7));
    await Deno.mkdir(`${root}/${id}`, { recursive: true });
    await Deno.symlink("/dev/full", `${root}/${id}/camera.webm`);
    const viewer = new FakeSink();
    room.join(viewer);
    const publisher = room.publish(key, () => {});
    publisher.start("camera");
    const segments = fixtureSegments("chromium/vp8-opus.webm");
    publisher.push("camera", segments[0] as InitSegment);
    // The recorder's tick hands the queued head to the OS: the write hits ENOSPC.
    // (A condition with a generous deadline: a busy machine may take a while to run the write.)
    for (const deadline = Date.now() + 20_000; errors() === 0 && Date.now() < deadline;) {
      recorder.tick(clock.now());
      await new Promise((r) => setTimeout(r, 10));
    }
    equal(errors(), 1);
    pushAll((s) => publisher.push("camera", s), segments.slice(1), clock);
    ok(
      log.lines.some((l) => /recording \S+ of room \S+ stopped: .*the live stream goes on/.test(l)),
      log.lines.join("\n"),
    );
    equal(viewer.written.length, segments.length, "the viewer got every segment");
    equal(recorder.recordingOf(room.id), null, "no new recording in the same live session");
    await recorder.close();
    const meta = (await readMeta(`${root}/${id}`))!;
    equal(meta.live, false);
    ok(meta.error && /space|No space/i.test(meta.error), String(meta.error));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("Recorder: a burst far over a viewer's queue limit is recorded whole (a recorder never skips)", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { recorder, room, key } = setup(root);
    const segments = fixtureSegments("chromium/vp8-opus.webm");
    const media = segments.slice(1);
    const publisher = room.publish(key, () => {});
    publisher.start("camera");
    publisher.push("camera", segments[0]);
    // 20 copies of the stream at once, with no time passing: 20 x the media, > 512 packets.
    const burst = Array.from({ length: 20 }, () => media).flat();
    ok(burst.length > 512);
    for (const s of burst) publisher.push("camera", s);
    const recording = recorder.recordingOf(room.id)!;
    await recorder.close();
    const meta = (await readMeta(`${root}/${recording.id}`))!;
    const mediaBytes = burst.reduce((n, s) => n + s.bytes.length, 0);
    const size = (await Deno.stat(`${root}/${recording.id}/camera.webm`)).size;
    // Head + every media byte + Cues: nothing was dropped.
    ok(size > mediaBytes && size < mediaBytes + 64 * 1024, `${size} vs ${mediaBytes}`);
    equal(meta.parts[0].bytes, size);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("Recorder: parts whose inits carry the presenter's clock line up by it, not by arrival", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { clock, recorder, room, key } = setup(root);
    const publisher = room.publish(key, () => {});
    const page = 1_800_000_000_000; // the presenter's clock, unrelated to the server's
    const first = (name: string) => {
      const [init, ...media] = fixtureSegments(name);
      return { init: init as InitSegment, key: media[0] };
    };
    const camera = first("chromium/vp8-opus.webm");
    const audio = first("chromium/opus.webm");
    const other = first("chromium/vp9-opus.webm");
    publisher.start("camera");
    publisher.start("audio");
    publisher.start("screen");
    publisher.push("camera", { ...camera.init, clockMs: page });
    clock.advance(100);
    publisher.push("camera", camera.key); // arrives 100 ms after timeline 0
    // The audio recorder started 250 ms after the camera's, by the page's clock, but its first
    // cluster was held up 400 ms on the way: by arrival it would sit at 750.
    publisher.push("audio", { ...audio.init, clockMs: page + 250 });
    clock.advance(650);
    publisher.push("audio", audio.key);
    // Another device's clock, an hour off: placed by arrival instead.
    publisher.push("screen", { ...other.init, clockMs: page + 3_600_000 });
    clock.advance(50);
    publisher.push("screen", other.key);
    const offsets = Object.fromEntries(
      recorder.recordingOf(room.id)!.meta.parts.map((p) => [p.track, p.offsetMs]),
    );
    deepEqual(offsets, { camera: 100, audio: 350, screen: 800 });
    await recorder.close();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("Recorder: live-only copies (camera-low, audio-low) are left out; the originals are recorded", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { clock, recorder, room, key } = setup(root);
    const publisher = room.publish(key, () => {});
    publisher.start("camera");
    publisher.start("camera-low");
    publisher.start("audio-low");
    pushAll(
      (s) => {
        publisher.push("camera", s);
        publisher.push("camera-low", s);
        publisher.push("audio-low", s);
      },
      fixtureSegments("chromium/vp8-opus.webm"),
      clock,
    );
    const recording = recorder.recordingOf(room.id)!;
    await recorder.close();
    const meta = (await readMeta(`${root}/${recording.id}`))!;
    deepEqual(meta.parts.map((p) => p.file), ["camera.webm"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

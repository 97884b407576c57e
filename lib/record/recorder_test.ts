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
    // Let the write loop hit ENOSPC.
    for (let i = 0; i < 50 && errors() === 0; i++) await new Promise((r) => setTimeout(r, 10));
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

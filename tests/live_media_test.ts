/**
 * Live media end to end over real sockets: real MediaRecorder recordings are
 * published with their original chunking and pacing, viewers join at many
 * points, and what each receives must decode cleanly from a keyframe. And the
 * README's ffmpeg publish command, watched by ffmpeg over plain HTTP.
 */
import assert from "node:assert/strict";
import { ffmpegErrors } from "./ffmpeg_check.ts";
import { startTestServer } from "./server.ts";
import { encodeClient } from "../lib/protocol.ts";
import { createRoom, loadFixture, publish, type Recorder, replay, watch } from "./ws_clients.ts";

/** ffprobe's key_frame flag of the first video frame of a stream. */
async function firstVideoFrameIsKey(bytes: Uint8Array): Promise<boolean> {
  const child = new Deno.Command("ffprobe", {
    args: [
      "-v",
      "error",
      "-select_streams",
      "v:0",
      "-show_entries",
      "frame=key_frame",
      "-read_intervals",
      "%+#1",
      "-of",
      "csv=p=0",
      "-i",
      "pipe:0",
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const out = child.output();
  const w = child.stdin.getWriter();
  await w.write(bytes).catch(() => {});
  await w.close().catch(() => {});
  const text = new TextDecoder().decode((await out).stdout).trim();
  return text.split("\n")[0] === "1";
}

const CASES: Array<{ fixture: string; joins: number[]; video: boolean }> = [
  { fixture: "vp8-opus.webm", joins: [2, 7, 12, 17, 22, 27, 31], video: true },
  { fixture: "vp9-opus.webm", joins: [4, 14, 24, 30], video: true },
  { fixture: "canvas-vp8.webm", joins: [3, 10, 18], video: true },
  { fixture: "opus.webm", joins: [5, 20], video: false },
  { fixture: "h264-opus.mp4", joins: [1, 2, 3], video: true },
];

for (const { fixture: name, joins, video } of CASES) {
  Deno.test(`late joiners of a live ${name} publish get decodable media starting at a keyframe`, async () => {
    const server = await startTestServer();
    const viewers: Array<{ at: number; recorder: Recorder }> = [];
    try {
      const fixture = await loadFixture(name);
      const { id, key } = await createRoom(server.origin);
      const presenter = await publish(server.origin, id, key);
      await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
      await replay(presenter, "camera", fixture, {
        speed: 2,
        onChunk: async (i) => {
          if (joins.includes(i)) viewers.push({ at: i, recorder: await watch(server.origin, id) });
        },
      });
      for (const { at, recorder } of viewers) {
        await recorder.until(
          () => recorder.frames.some((f) => f.kind === "media"),
          5000,
          `media for the viewer who joined at chunk ${at}`,
        );
      }
      // A ping answered means the server has handled every chunk sent before it (one socket,
      // in order); then each viewer must get up to the newest segment the room holds.
      presenter.ws.send(encodeClient({ type: "ping", t: 4242 }));
      await presenter.until(() =>
        presenter.messages.some((m) => m.type === "pong" && m.t === 4242)
      );
      const newest = server.state.hub.get(id).track("camera")!.ring.toArray().at(-1)!.segment;
      assert.equal(newest.type, "media");
      const newestMs = newest.type === "media" ? newest.timestampMs : NaN;
      for (const { at, recorder } of viewers) {
        await recorder.until(
          () => recorder.frames.some((f) => f.kind === "media" && f.timestampMs === newestMs),
          5000,
          `the viewer who joined at chunk ${at} to get the newest segment`,
        );
      }
      for (const { at, recorder } of viewers) {
        const frames = recorder.frames.filter((f) => f.track === "camera");
        assert.equal(frames[0]?.kind, "init", `joined at ${at}: init comes first`);
        const first = frames.find((f) => f.kind === "media");
        assert.ok(
          first?.kind === "media" && first.keyframe && first.start,
          `joined at ${at}: starts at a keyframe`,
        );
        const bytes = recorder.trackBytes("camera");
        assert.equal(await ffmpegErrors(bytes), "", `joined at ${at}: decodes cleanly`);
        if (video) {
          assert.ok(await firstVideoFrameIsKey(bytes), `joined at ${at}: first video frame is key`);
        }
      }
      await presenter.close();
    } finally {
      await Promise.all(viewers.map((v) => v.recorder.close()));
      await server.close();
    }
  });
}

Deno.test("ffmpeg publishes over HTTP PUT (the README command) and ffmpeg watches the plain HTTP stream", async () => {
  const server = await startTestServer();
  try {
    const { id, key } = await createRoom(server.origin);
    // The README command with a generated INPUT instead of a file.
    const publisher = new Deno.Command("ffmpeg", {
      args: [
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-re",
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x240:rate=30",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-t",
        "8",
        "-c:v",
        "libvpx",
        "-deadline",
        "realtime",
        "-b:v",
        "1M",
        "-g",
        "30",
        "-c:a",
        "libopus",
        "-f",
        "webm",
        "-method",
        "PUT",
        "-headers",
        `Authorization: Bearer ${key}\r\n`,
        `${server.origin}/ingest/${id}/camera`,
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Wait until the track is live, then watch with ffmpeg for 3 s.
    const deadline = Date.now() + 10_000;
    while (!server.state.hub.get(id).track("camera")?.live) {
      assert.ok(Date.now() < deadline, "the PUT publish went live");
      await new Promise((r) => setTimeout(r, 100));
    }
    const watcher = await new Deno.Command("ffmpeg", {
      args: [
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-i",
        `${server.origin}/s/${id}/camera/live`,
        "-t",
        "3",
        "-f",
        "framemd5",
        "-",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const errors = new TextDecoder().decode(watcher.stderr).trim();
    assert.equal(watcher.code, 0, errors);
    assert.equal(errors, "");
    const frames = new TextDecoder().decode(watcher.stdout).split("\n").filter((l) =>
      /^0,/.test(l)
    );
    assert.ok(frames.length >= 60, `ffmpeg decoded ${frames.length} video frames in 3 s`);
    const published = await publisher.output();
    assert.equal(published.code, 0, new TextDecoder().decode(published.stderr));
  } finally {
    await server.close();
  }
});

/**
 * The studio in Chromium (fake camera and microphone) publishes the profile
 * tracks of #9: `camera-low`, a second encode of the camera that is video
 * only, at most 320×240, at most ~150 kbit/s and keyed at least every 2 s;
 * the voice at a speech bitrate, and `audio-low`, its second encode for the
 * slowest links (Opus, ≤ 16 kbit/s); and a camera JPEG (≤ 320×240) uploaded while
 * the camera is live, announced to viewers as a `camera` message.
 */
import assert from "node:assert/strict";
import { openLesson } from "./lesson_pages.ts";
import { watch } from "./ws_clients.ts";
import { probeStreams } from "./ffmpeg_check.ts";
import { imageInfo } from "../lib/slides/image_size.ts";

interface TrackDetail {
  name: string;
  mime: string | null;
  live: boolean;
  bytesIn: number;
  bufferedSeconds: number;
  keyframeIntervalMs: number | null;
}

/** Polls the room detail until `ready` holds for it (or fails after `ms`). */
async function roomUntil<T>(
  url: string,
  ready: (room: { tracks: TrackDetail[]; cameraSnapshotUrl: string | null }) => T | undefined,
  what: string,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = ready(await (await fetch(url)).json());
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test("the studio publishes camera-low (video only, ≤ 320×240, ≤ ~150 kbit/s, keyed ≤ 2 s), audio-low (Opus ≤ 16 kbit/s) and camera snapshots", async () => {
  await using lesson = await openLesson({ config: { record: false } });
  const { server, studio, roomId } = lesson;
  const detailUrl = `${server.origin}/api/rooms/${roomId}`;
  const viewer = await watch(server.origin, roomId, undefined, ["camera-low", "audio-low"]);

  // Bits per second of media time, from the start: the API's `bitrate` counts arrivals over
  // 5 s, which bunch up on a loaded machine (a 24 kbit/s voice showed 39 once).
  const rate = (t: TrackDetail) => (8 * t.bytesIn) / t.bufferedSeconds;
  const [low, voice, lowVoice] = await roomUntil(detailUrl, (room) => {
    const t = room.tracks.find((t) => t.name === "camera-low");
    const a = room.tracks.find((t) => t.name === "audio");
    const al = room.tracks.find((t) => t.name === "audio-low");
    const ready = t?.live && a && al?.live && t.bufferedSeconds >= 8 &&
      al.bufferedSeconds >= 8 && t.keyframeIntervalMs !== null;
    return ready ? [t, a, al] as const : undefined;
  }, "eight seconds of camera-low and audio-low");
  assert.match(low.mime ?? "", /^video\/webm; codecs="?vp8"?$/, "video only");
  assert.ok(rate(low) > 0 && rate(low) <= 150_000, `camera-low at ${rate(low)} bit/s`);
  assert.ok(low.keyframeIntervalMs! <= 2_000, `keyframes every ${low.keyframeIntervalMs} ms`);
  assert.ok(rate(voice) > 8_000 && rate(voice) <= 32_000, `voice at ${rate(voice)} bit/s`);
  // The small voice: what Chromium's emulated 32 kbit/s carries (~21 kbit/s of payload), framing
  // included.
  assert.match(lowVoice.mime ?? "", /^audio\/webm; codecs="?opus"?$/, "sound only");
  assert.ok(
    rate(lowVoice) > 4_000 && rate(lowVoice) <= 16_000,
    `audio-low at ${rate(lowVoice)} bit/s`,
  );

  // What a viewer gets of each decodes as one small VP8 picture, or Opus, and nothing else.
  const streamsOf = async (track: string) => {
    await viewer.until(
      () => viewer.frames.filter((f) => f.kind === "media" && f.track === track).length > 5,
      10_000,
      `${track} media`,
    );
    return await probeStreams(viewer.trackBytes(track));
  };
  const streams = await streamsOf("camera-low");
  assert.deepEqual(streams.map((s) => [s.codec_type, s.codec_name]), [["video", "vp8"]]);
  assert.ok(streams[0].width! <= 320 && streams[0].height! <= 240, JSON.stringify(streams[0]));
  const voiceStreams = await streamsOf("audio-low");
  assert.deepEqual(voiceStreams.map((s) => [s.codec_type, s.codec_name]), [["audio", "opus"]]);

  // The camera snapshot: announced, served, small.
  await viewer.until(() => viewer.messages.some((m) => m.type === "camera"), 15_000, "camera");
  const url = await roomUntil(detailUrl, (r) => r.cameraSnapshotUrl ?? undefined, "snapshot");
  const image = await fetch(url);
  assert.equal(image.headers.get("content-type"), "image/jpeg");
  const info = imageInfo(new Uint8Array(await image.arrayBuffer()));
  assert.ok(info && info.w <= 320 && info.h <= 240, JSON.stringify(info));

  // Stopping the broadcast removes the snapshot: viewers hear the camera is off.
  await studio.click('[data-testid="go-live"]');
  await viewer.until(
    () => viewer.messages.some((m) => m.type === "camera" && m.snapshot === null),
    10_000,
    "the camera snapshot removed",
  );
  await viewer.close();
});

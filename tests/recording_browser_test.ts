/**
 * A real lesson in Chromium is recorded: the presenter goes live from
 * /studio with the fake camera and the whiteboard, renames the session, a
 * viewer chats, and after more than 20 s the presenter stops. Every track's
 * file has its duration in the header, seeks to 15 s through its Cues
 * (ffmpeg reads a fraction of the file), and the events sit on the media's
 * clock.
 */
import assert from "node:assert/strict";
import { openLesson } from "./lesson_pages.ts";
import { finished, getJson, until } from "./recording_helpers.ts";
import type { RecordingView } from "../lib/record/recording_view.ts";
import { decodeErrors, probe } from "../lib/record/_testing.ts";

const LESSON_S = 22;

/** ffmpeg's own count of bytes it read to decode 1 s from `seconds` in. */
async function bytesReadSeeking(path: string, seconds: number): Promise<number> {
  const { stderr } = await new Deno.Command("ffmpeg", {
    args: [
      "-hide_banner",
      "-nostdin",
      "-v",
      "debug",
      "-ss",
      String(seconds),
      "-i",
      path,
      "-t",
      "1",
      "-f",
      "null",
      "-",
    ],
  }).output();
  const text = new TextDecoder().decode(stderr);
  const m = [...text.matchAll(/Statistics: (\d+) bytes read, (\d+) seeks/g)].pop();
  if (!m) throw new Error(`no statistics from ffmpeg: ${text.slice(-500)}`);
  return Number(m[1]);
}

Deno.test("a Chromium lesson with chat and a title change is recorded, seekable from its header", async () => {
  await using lesson = await openLesson({ start: { recordGraceMs: 500 } });
  const { server, studio, viewerUrl, roomId } = lesson;

  const room = await until(async () => {
    const r = await getJson<{ recordingId: string | null }>(
      `${server.origin}/api/rooms/${roomId}`,
    );
    return r.recordingId ? r : null;
  }, "the recording to start");
  const id = room.recordingId!;
  const api = `${server.origin}/api/recordings/${id}`;
  const recordedFor = async (seconds: number) => {
    const view = await getJson<RecordingView>(api);
    return view.durationSeconds >= seconds ? view : null;
  };

  await until(() => recordedFor(5), "5 s recorded");
  const renaming = Date.now();
  await studio.fill('[data-testid="room-title"]', "Fractions");
  await studio.press('[data-testid="room-title"]', "Enter");
  await until(async () => {
    const r = await getJson<{ title: string }>(`${server.origin}/api/rooms/${roomId}`);
    return r.title === "Fractions";
  }, "the rename to reach the server");
  const renamed = Date.now();

  const viewer = await lesson.page("viewer", viewerUrl);
  await until(() => recordedFor(9), "9 s recorded");
  const input = viewer.locator('[data-testid="chat-input"]');
  await viewer.waitForFunction(() =>
    !document.querySelector<HTMLInputElement>('[data-testid="chat-input"]')?.disabled
  );
  const chatting = Date.now();
  await input.fill("Is 1/2 the same as 2/4?");
  await input.press("Enter");
  await studio.waitForSelector('[data-testid="chat-text"]:has-text("Is 1/2 the same")');
  const chatted = Date.now();

  await until(() => recordedFor(LESSON_S), `${LESSON_S} s recorded`, 60_000);
  await studio.click('[data-testid="go-live"]'); // stop
  const view = await finished(server.origin, id);

  assert.equal(view.title, "Fractions");
  const names = view.tracks.map((t) => t.name);
  assert.ok(names.includes("camera") && names.includes("whiteboard"), `tracks ${names}`);
  assert.ok(view.durationSeconds >= LESSON_S, `${view.durationSeconds} s`);
  // The studio started every recorder as it went live: each first part sits near timeline 0.
  const firsts = view.tracks.map((t) => t.parts[0].offsetMs);
  assert.ok(firsts.every((o) => o >= -500 && o < 2000), `first offsets ${firsts}`);
  for (const track of view.tracks) {
    for (const part of track.parts) {
      const path = `${server.state.config.dataDir}${part.url}`;
      const size = (await Deno.stat(path)).size;
      // The duration is in the header: ffprobe reads it without scanning the file.
      const probed = await probe(path);
      assert.ok(probed.duration !== null, `${part.url} has a Duration`);
      assert.ok(
        Math.abs(probed.duration! * 1000 - part.durationMs) < 100,
        `${part.url}: ${probed.duration}`,
      );
      const errors = await decodeErrors(path);
      assert.equal(errors, "", `${part.url}: ${errors}`);
      if (part.durationMs < 18_000) continue;
      assert.equal(await decodeErrors(path, ["-ss", "15"]), "", `${part.url} from 15 s`);
      // Through the Cues ffmpeg jumps to 15 s: it reads the head, the Cues and ~1 s of media.
      // (A small audio file is read in ffmpeg's 32 KiB blocks anyway: only video is weighed.)
      if (size < 512 * 1024) continue;
      const read = await bytesReadSeeking(path, 15);
      assert.ok(read < size * 0.5, `${part.url}: read ${read} of ${size} bytes to seek to 15 s`);
    }
  }

  const { events } = await getJson<{ events: Array<Record<string, unknown>> }>(
    `${server.origin}${view.eventsUrl}`,
  );
  const title = events.find((e) => e.type === "title" && e.title === "Fractions");
  const chat = events.find((e) => e.type === "chat" && e.text === "Is 1/2 the same as 2/4?");
  assert.ok(title && chat, JSON.stringify(events));
  // On the recording's clock: between when we acted and when we saw it arrive (both unix ms,
  // taken with timeline 0 at `startedAt`), with 100 ms for rounding.
  const within = (t: unknown, from: number, to: number) =>
    (t as number) >= from - view.startedAt - 100 && (t as number) <= to - view.startedAt + 100;
  assert.ok(within(title.t, renaming, renamed), `title at ${title.t}`);
  assert.ok(within(chat.t, chatting, chatted), `chat at ${chat.t}`);
  assert.ok(events.some((e) => e.type === "live" && e.live === false));
  lesson.assertNoPageErrors();
});

/**
 * A lesson given from the studio in Chromium (fake camera and microphone, the
 * whiteboard canvas; MediaRecorder WebM, voice on its own `audio` track) is
 * replayed at `/r/:id` while it is still being recorded, then, finished, seeks
 * and plays on every track in step, and shows up in the studio's past lessons.
 */
import assert from "node:assert/strict";
import type { Page } from "./browser.ts";
import { openPages } from "./lesson_pages.ts";
import { eventually, waitRecorded, waitRecordingId } from "./timecoded_lesson.ts";
import { parseRecording } from "../lib/replay/recording.ts";
import { locate } from "../lib/client/replay_timeline.ts";

interface MediaProbe {
  track: string;
  currentTime: number;
  readyState: number;
  paused: boolean;
}

function probeAll(page: Page): Promise<MediaProbe[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLMediaElement>(".replay [data-track]")].map((m) => ({
      track: m.dataset.track!,
      currentTime: m.currentTime,
      readyState: m.readyState,
      paused: m.paused,
    }))
  );
}

/** Every track plays on, but for those `done` says have ended (holding their last frame). */
async function waitPlaying(page: Page, what: string, done = (_m: MediaProbe) => false) {
  const before = await probeAll(page);
  let last: MediaProbe[] = [];
  await eventually(`${what}: every track plays`, 15_000, async () => {
    last = await probeAll(page);
    return last.length === before.length &&
      last.every((m, i) => done(m) || (!m.paused && m.currentTime > before[i].currentTime + 1));
  }).catch((err) => {
    throw new Error(`${err.message}: ${JSON.stringify({ before, last })}`);
  });
}

Deno.test("a studio lesson replays while recorded and after, every track in step", async () => {
  await using pages = await openPages({ start: { recordGraceMs: 500 } });
  const { server } = pages;
  const studio = await pages.page("studio", `${server.origin}/studio`);
  await studio.waitForFunction(() =>
    !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
  );
  const roomId = (await studio.locator(".studio").getAttribute("data-room"))!;
  await studio.click('[data-testid="go-live"]');
  await studio.waitForSelector('[data-testid="live-status"][data-status="live"]', {
    timeout: 15_000,
  });
  const id = await waitRecordingId(server.origin, roomId);
  await waitRecorded(server.origin, id, 6);

  const replay = await pages.page("replay", `${server.origin}/r/${id}`);
  await replay.waitForFunction(() =>
    !document.querySelector<HTMLButtonElement>('[data-testid="replay-play"]')?.disabled
  );
  const tracks = await replay.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>(".replay [data-track]")].map((m) =>
      `${m.tagName.toLowerCase()}:${m.dataset.track}`
    ).sort()
  );
  assert.deepEqual(tracks, ["audio:audio", "video:camera", "video:whiteboard"]);
  await replay.click('[data-testid="replay-play"]');
  await waitPlaying(replay, "while recording");

  await waitRecorded(server.origin, id, 12);
  await studio.click('[data-testid="go-live"]'); // stop
  await eventually("the recording is finished", 15_000, async () => {
    const rec = await (await fetch(`${server.origin}/api/recordings/${id}`)).json();
    return rec.live === false;
  });
  const rec = parseRecording(
    await (await fetch(`${server.origin}/api/recordings/${id}`)).json(),
  )!;
  assert.ok(rec.durationSeconds >= 12, `${rec.durationSeconds} s recorded`);

  await replay.reload();
  await replay.waitForFunction(() =>
    !document.querySelector<HTMLButtonElement>('[data-testid="replay-play"]')?.disabled
  );
  await replay.evaluate(() => {
    const bar = document.querySelector<HTMLInputElement>('[data-testid="replay-seek"]')!;
    bar.value = "8";
    bar.dispatchEvent(new Event("input", { bubbles: true }));
  });
  let seen: MediaProbe[] = [];
  await eventually("every track is at 8 s on the timeline", 10_000, async () => {
    const now = seen = await probeAll(replay);
    return now.every((m) => {
      // 8 s on the timeline, or the last frame of a track that ended before (a still canvas).
      const want = locate(rec.tracks.find((t) => t.name === m.track)!, 8000)!.mediaS;
      return m.readyState >= 2 && Math.abs(m.currentTime - want) < 0.15;
    });
  }).catch((err) => {
    throw new Error(`${err.message}: ${JSON.stringify({ seen, tracks: rec.tracks })}`);
  });
  await replay.click('[data-testid="replay-play"]');
  // A still whiteboard sends no frames, so its part may end before the lesson: it holds.
  const ended = (m: MediaProbe) => {
    const part = rec.tracks.find((t) => t.name === m.track)!.parts[0];
    return m.paused && m.currentTime >= part.durationMs / 1000 - 0.1;
  };
  await waitPlaying(replay, "finished", ended);
  // In step: every playing track's timeline position within 150 ms of the camera's (drift is
  // corrected within a couple of seconds of starting).
  const at = (m: MediaProbe) =>
    m.currentTime + rec.tracks.find((t) => t.name === m.track)!.parts[0].offsetMs / 1000;
  let spread: string[] = [];
  await eventually("the tracks play in step", 5000, async () => {
    const now = (await probeAll(replay)).filter((m) => !m.paused);
    const camera = at(now.find((m) => m.track === "camera")!);
    spread = now.map((m) => `${m.track} ${(at(m) - camera).toFixed(3)} s`);
    return now.every((m) => Math.abs(at(m) - camera) < 0.15);
  }).catch((err) => {
    throw new Error(`${err.message}: ${spread.join(", ")}`);
  });

  await studio.waitForSelector(
    `[data-testid="past-lessons"] [data-testid="lesson"][data-recording="${id}"]`,
    { timeout: 20_000 },
  );
  pages.assertNoPageErrors();
});

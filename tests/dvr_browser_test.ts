/**
 * DVR in Chromium: while a time-coded lesson (see timecoded_lesson.ts) is
 * live, a viewer of `/s/:id` drags back to 2 s into the lesson, sees the
 * frames made then on both tracks, played from the recording on disk, plays
 * on past what was on disk when it rewound (the growing files are reopened),
 * and "Back to live" returns to the live stream near its edge.
 */
import assert from "node:assert/strict";
import type { Page } from "./browser.ts";
import { openPages } from "./lesson_pages.ts";
import { createRoom } from "./ws_clients.ts";
import {
  colourTime,
  eventually,
  probeFrame,
  publishTimecoded,
  timeDistance,
  waitRecorded,
  waitRecordingId,
} from "./timecoded_lesson.ts";
import { parseRecording } from "../lib/replay/recording.ts";

function liveEdgeLag(page: Page): Promise<number> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('.stage video[data-track="camera"]')!;
    const b = v.buffered;
    return b.length ? b.end(b.length - 1) - v.currentTime : Infinity;
  });
}

Deno.test("a live viewer rewinds to any point of the lesson so far and goes back to live", async () => {
  await using pages = await openPages();
  const { server } = pages;
  const room = await createRoom(server.origin, "DVR lesson");
  const publishers = ["camera", "whiteboard"].map((track) =>
    publishTimecoded(server.origin, room.id, room.key, track, 90)
  );
  try {
    const recordingId = await waitRecordingId(server.origin, room.id);
    const page = await pages.page("viewer", `${server.origin}/s/${room.id}`);
    await page.waitForSelector('.viewer[data-phase="live"]', { timeout: 15_000 });
    await waitRecorded(server.origin, recordingId, 14);
    await page.waitForSelector('[data-testid="dvr-seek"]:not([disabled])');
    assert.ok(await page.locator('[data-testid="go-live-edge"]').isDisabled(), "live already");

    // The newest media the viewer has seen live: the recording on disk holds no more than this.
    const liveAt = colourTime(
      "camera",
      (await probeFrame(page, '.stage video[data-track="camera"]')).rgb,
    );
    await page.evaluate(() => {
      const bar = document.querySelector<HTMLInputElement>('[data-testid="dvr-seek"]')!;
      bar.value = "2";
      bar.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await page.waitForSelector('.dvr[data-mode="rewound"]');
    const rec = parseRecording(
      await (await fetch(`${server.origin}/api/recordings/${recordingId}`)).json(),
    )!;
    for (const track of ["camera", "whiteboard"]) {
      const offset = rec.tracks.find((t) => t.name === track)!.parts[0].offsetMs / 1000;
      let last = "";
      await eventually(`the rewound ${track} shows the frame of 2 s`, 10_000, async () => {
        const p = await probeFrame(page, `video[data-dvr-track="${track}"]`);
        const decoded = colourTime(track, p.rgb);
        last = JSON.stringify({ ...p, decoded, offset });
        // It plays on from 2 s: the frame is from 2 s up to a few seconds later.
        return p.readyState >= 2 && p.currentTime >= 2 - offset - 0.15 &&
          p.currentTime < 2 - offset + 3 && timeDistance(decoded, p.currentTime) < 0.6;
      }).catch((err) => {
        throw new Error(`${err.message}: ${last}`);
      });
    }
    const hidden = await page.evaluate(() =>
      getComputedStyle(document.querySelector(".stage:not(.dvr-stage)")!).display
    );
    assert.equal(hidden, "none", "the live stage makes way for the recording");
    const before = await probeFrame(page, 'video[data-dvr-track="camera"]');
    await eventually("the rewound lesson plays on", 10_000, async () => {
      return (await probeFrame(page, 'video[data-dvr-track="camera"]')).currentTime >
        before.currentTime + 1;
    });

    // Past what was on disk when the files were opened: they are reopened, grown.
    await eventually(`the rewound lesson plays past ${liveAt.toFixed(1)} s`, 40_000, async () => {
      const p = await probeFrame(page, 'video[data-dvr-track="camera"]');
      return p.currentTime > liveAt + 1 &&
        timeDistance(colourTime("camera", p.rgb), p.currentTime) < 0.6;
    });
    const dvrAt = (await probeFrame(page, 'video[data-dvr-track="camera"]')).currentTime;

    await page.click('[data-testid="go-live-edge"]');
    await page.waitForSelector('.dvr[data-mode="live"]');
    await eventually("the live video is near its edge", 10_000, async () => {
      return (await liveEdgeLag(page)) < 1.5;
    });
    // Hidden, the live video may have been paused by the browser: now it shows the present.
    // Judged on a shown frame: a probe taken while the live video still seeks to its edge
    // (readyState 1, seeking) reads the frame from before the jump.
    let live = await probeFrame(page, '.stage video[data-track="camera"]');
    await eventually(
      "the live video shows a frame after its jump to the edge",
      10_000,
      async () => {
        live = await probeFrame(page, '.stage video[data-track="camera"]');
        return live.readyState >= 2 && !live.seeking;
      },
    ).catch((err) => assert.fail(`${err.message}: ${JSON.stringify(live)}`));
    assert.ok(
      colourTime("camera", live.rgb) > dvrAt + 4,
      `live shows later frames than the rewound ${dvrAt} s: ${JSON.stringify(live)}`,
    );
    pages.assertNoPageErrors();
  } finally {
    for (const p of publishers) {
      try {
        p.kill();
      } catch {
        // Already done.
      }
      await p.output();
    }
  }
});

/**
 * A viewer whose WebSocket cannot be opened (here: every watch socket is
 * closed by the browser's network layer before it opens, as behind a proxy
 * that refuses Upgrade) switches to pull mode by itself and plays, with the
 * room's title and state from `GET /api/rooms/:id`.
 */
import assert from "node:assert/strict";
import { openLesson } from "./lesson_pages.ts";

Deno.test("a viewer without a WebSocket falls back to pull mode and plays", async () => {
  await using lesson = await openLesson();
  const { server, viewerPath } = lesson;
  const id = viewerPath.split("/")[2];

  const viewer = await lesson.page("viewer");
  let refused = 0;
  await viewer.routeWebSocket(/\/api\/rooms\/[^/]+\/watch$/, (ws) => {
    refused++;
    ws.close({ code: 1011, reason: "refused by the test" });
  });
  await viewer.goto(`${server.origin}${viewerPath}`);
  await viewer.waitForSelector('.viewer[data-phase="live"][data-transport="http"]', {
    timeout: 20_000,
  });
  assert.ok(refused >= 2, `${refused} WebSocket attempts before falling back`);
  for (const track of ["camera", "whiteboard"]) {
    await viewer.waitForFunction(
      (track) => {
        const v = document.querySelector<HTMLVideoElement>(`video[data-track="${track}"]`)!;
        return !v.paused && v.getVideoPlaybackQuality().totalVideoFrames > 10;
      },
      track,
      { timeout: 15_000 },
    );
  }
  // The title comes from polling the room, since no `state` message ever arrives.
  const { title } = await (await fetch(`${server.origin}/api/rooms/${id}`)).json();
  await viewer.waitForFunction(
    (title) => document.querySelector(".viewer-title")?.textContent === title,
    title,
    { timeout: 10_000 },
  );
  lesson.assertNoPageErrors();
});

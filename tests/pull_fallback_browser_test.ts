/**
 * A viewer whose WebSocket cannot be opened (here: every watch socket is
 * closed by the browser's network layer before it opens, as behind a proxy
 * that refuses Upgrade) switches to pull mode by itself and plays, with the
 * room's title and state from `GET /api/rooms/:id`.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "./browser.ts";
import { goLive } from "./studio_page.ts";
import { startTestServer } from "./server.ts";

Deno.test("a viewer without a WebSocket falls back to pull mode and plays", async () => {
  const server = await startTestServer();
  await using browser = await launchBrowser();
  const errors: string[] = [];
  try {
    const studio = await browser.newPage();
    studio.on("pageerror", (e) => errors.push(`studio: ${e.message}`));
    const { viewerPath } = await goLive(studio, server.origin);
    const id = viewerPath.split("/")[2];

    const viewer = await browser.newPage();
    viewer.on("pageerror", (e) => errors.push(`viewer: ${e.message}`));
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
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

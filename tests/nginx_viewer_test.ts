/**
 * A Chromium viewer through a real nginx (the shipped deploy/nginx/chalkcast.conf)
 * plays in pull mode, `/s/:id?transport=http`, near live: the studio publishes
 * through the same nginx (its WebSocket pass-through), the viewer's media are
 * pieces from the cache, its WebSocket carries only state and chat, and what
 * is drawn on the whiteboard shows with glass-to-glass p50 ≤ 1 s. The
 * benchmark (bench/pull_bench.ts) reports the figures.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "./browser.ts";
import { startTestServer } from "./server.ts";
import { startNginx } from "./nginx.ts";
import { glassToGlass, percentile } from "../bench/glass.ts";

Deno.test("a viewer through nginx plays pull mode with glass-to-glass p50 ≤ 1 s", async () => {
  const server = await startTestServer();
  const nginx = await startNginx(`127.0.0.1:${server.port}`);
  await using browser = await launchBrowser();
  const errors: string[] = [];
  try {
    const studio = await browser.newPage();
    studio.on("pageerror", (e) => errors.push(`studio: ${e.message}`));
    await studio.goto(`${nginx.origin}/studio`);
    const link = studio.locator('[data-testid="viewer-link"]');
    await link.waitFor();
    const viewerPath = new URL((await link.getAttribute("href"))!).pathname;
    await studio.waitForFunction(() =>
      !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
    );
    await studio.click('[data-testid="go-live"]');
    await studio.waitForSelector('[data-testid="live-status"][data-status="live"]', {
      timeout: 15_000,
    });

    const viewer = await browser.newPage();
    viewer.on("pageerror", (e) => errors.push(`viewer: ${e.message}`));
    const cacheStatus: string[] = [];
    viewer.on("response", (res) => {
      if (/\/g\/\d+\/\d+$/.test(res.url())) cacheStatus.push(res.headers()["x-cache-status"]);
    });
    await viewer.goto(`${nginx.origin}${viewerPath}?transport=http`);
    await viewer.waitForSelector('.viewer[data-phase="live"][data-transport="http"]', {
      timeout: 15_000,
    });
    await viewer.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('video[data-track="whiteboard"]')!;
        return !v.paused && v.getVideoPlaybackQuality().totalVideoFrames > 10;
      },
      null,
      { timeout: 15_000 },
    );

    const { latencies, missed } = await glassToGlass(studio, viewer, {
      samples: 7,
      spacingMs: 0,
    });
    const p50 = percentile(latencies, 0.5);
    console.log(
      `pull mode through nginx: glass-to-glass ${latencies.map((l) => l.toFixed(0)).join(", ")} ms`,
    );
    assert.ok(missed <= 1, `${missed} of 7 changes never showed`);
    assert.ok(p50 <= 1000, `glass-to-glass p50 ${p50.toFixed(0)} ms through nginx`);

    // The pieces came through the cache, and the viewer's WebSocket carried no media.
    assert.ok(cacheStatus.length > 10, `${cacheStatus.length} pieces fetched`);
    assert.ok(cacheStatus.every((s) => s === "MISS" || s === "HIT" || s === "UPDATING"));
    const room = await (await fetch(`${server.origin}/api/rooms/${viewerPath.split("/")[2]}`))
      .json();
    const bytesOut = room.tracks.reduce((n: number, t: { bytesOut: number }) => n + t.bytesOut, 0);
    assert.equal(bytesOut, 0, "no media went out over WebSockets");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await nginx.stop();
    await server.close();
  }
});

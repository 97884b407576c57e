/**
 * A Chromium viewer through a real nginx (the shipped deploy/nginx/chalkcast.conf)
 * plays in pull mode, `/s/:id?transport=http`, near live: the studio publishes
 * through the same nginx (its WebSocket pass-through), the viewer's media are
 * pieces through the cache, it keeps up with the newest piece the origin has,
 * its player stays within the live-edge bound, what is drawn on the
 * whiteboard shows, and its WebSocket carries no media. Glass-to-glass p50
 * and p95 are figures of the benchmark (bench/pull_bench.ts): on a shared,
 * busy machine they measure the machine more than the product.
 */
import assert from "node:assert/strict";
import { goLive } from "./studio_page.ts";
import { openPages } from "./lesson_pages.ts";
import { startNginx } from "./nginx.ts";
import { glassToGlass } from "../bench/glass.ts";

/** Polls `check` until true; fails with `what` after 15 s. */
async function waitFor(what: () => string, check: () => Promise<boolean>) {
  const until = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

Deno.test("a Chromium viewer through nginx plays pull mode near live", async () => {
  // No recording: the recorder is a subscriber too, and this test counts what subscribers got.
  await using pages = await openPages({ config: { record: false } });
  const { server, browser } = pages;
  const nginx = await startNginx(`127.0.0.1:${server.port}`);
  try {
    const studio = await pages.page("studio");
    const { viewerPath } = await goLive(studio, nginx.origin);

    const viewer = await pages.page("viewer");
    const cacheStatus: string[] = [];
    /** Per track, the highest piece number the viewer has received. */
    const newest: Record<string, number> = { camera: -1, whiteboard: -1 };
    viewer.on("response", (res) => {
      const m = res.url().match(/\/s\/[^/]+\/(\w+)\/g\/\d+\/(\d+)$/);
      if (!m || res.status() !== 200) return;
      cacheStatus.push(res.headers()["x-cache-status"]);
      newest[m[1]] = Math.max(newest[m[1]] ?? -1, Number(m[2]));
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

    // Near live: the viewer holds the newest piece the origin has (or the one before)...
    const id = viewerPath.split("/")[2];
    let next = -1;
    await waitFor(
      () =>
        `the viewer to reach the origin's newest whiteboard piece (${newest.whiteboard}/${next})`,
      async () => {
        next = (await (await fetch(`${server.origin}/s/${id}/whiteboard/segments`)).json()).next;
        return newest.whiteboard >= next - 2;
      },
    );
    // ...and its player is within the live-edge bound of what it has (lib/client/live_edge.ts).
    for (const track of ["camera", "whiteboard"]) {
      await viewer.waitForFunction(
        (track) => {
          const v = document.querySelector<HTMLVideoElement>(`video[data-track="${track}"]`)!;
          const b = v.buffered;
          return !v.paused && b.length > 0 && b.end(b.length - 1) - v.currentTime < 1.5;
        },
        track,
        { timeout: 15_000 },
      );
    }
    // What the presenter draws shows up (glass-to-glass samples; their times are the bench's).
    const { latencies } = await glassToGlass(studio, viewer, {
      samples: 3,
      warmup: 0,
      spacingMs: 0,
      timeoutMs: 15_000,
    });
    assert.ok(
      latencies.length >= 2,
      `${3 - latencies.length} of 3 whiteboard changes never showed`,
    );

    // Its WebSocket (through nginx's pass-through) still brings state: it counts as watching.
    await viewer.waitForSelector('[data-testid="viewer-count"]:has-text("1 watching")', {
      timeout: 15_000,
    });
    // The pieces came through the cache, and the viewer's WebSocket carried no media.
    assert.ok(cacheStatus.length > 10, `${cacheStatus.length} pieces fetched`);
    assert.ok(cacheStatus.every((s) => s === "MISS" || s === "HIT" || s === "UPDATING"));
    const room = await (await fetch(`${server.origin}/api/rooms/${id}`)).json();
    const bytesOut = room.tracks.reduce((n: number, t: { bytesOut: number }) => n + t.bytesOut, 0);
    assert.equal(bytesOut, 0, "no media went out over WebSockets");
    pages.assertNoPageErrors();
  } finally {
    await browser.close();
    await nginx.stop();
  }
});

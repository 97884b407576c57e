/**
 * End to end in Chromium: a presenter goes live from /studio with the fake
 * camera and microphone and the whiteboard; a viewer on /s/:id plays both
 * tracks near the live edge, sees what is drawn, survives the presenter's
 * reload, and keeps its buffer short while it stays open. One browser and one
 * server for all steps: each step builds on the one before.
 */
import assert from "node:assert/strict";
import type { Page } from "./browser.ts";
import { openPages } from "./lesson_pages.ts";
import { LIVE_EDGE_DEFAULTS } from "../lib/client/live_edge.ts";

/** How long the viewer stays open in total before the buffer check (CHALKCAST_SOAK_S). */
const SOAK_S = Number(Deno.env.get("CHALKCAST_SOAK_S") ?? 120);
/**
 * The most played media a player may hold behind its playhead: it decides to
 * trim once more than `trimAboveS` is behind, on its tick (every 250 ms in
 * islands/Viewer.tsx), and the SourceBuffer removes it at the next pump, after
 * the append in progress. Both together take well under a second even on a
 * loaded 2-core machine (8.97 s was the worst seen).
 */
const MAX_BEHIND_S = LIVE_EDGE_DEFAULTS.trimAboveS + 1;

interface VideoProbe {
  time: number;
  frames: number;
  start: number | null;
  end: number | null;
}

function probe(page: Page, track: string): Promise<VideoProbe> {
  return page.evaluate((track) => {
    const v = document.querySelector<HTMLVideoElement>(`video[data-track="${track}"]`)!;
    const b = v.buffered;
    return {
      time: v.currentTime,
      frames: v.getVideoPlaybackQuality().totalVideoFrames,
      start: b.length ? b.start(0) : null,
      end: b.length ? b.end(b.length - 1) : null,
    };
  }, track);
}

/** Share of dark pixels on the studio's own whiteboard canvas. */
function boardDarkShare(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid="whiteboard"]')!;
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 240) dark++;
    return dark / (c.width * c.height);
  });
}

/** Share of dark pixels in the viewer's whiteboard video, drawn onto a canvas. */
function darkShare(page: Page): Promise<number> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('video[data-track="whiteboard"]')!;
    const c = document.createElement("canvas");
    c.width = 320;
    c.height = 180;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(v, 0, 0, c.width, c.height);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 240) dark++;
    return dark / (c.width * c.height);
  });
}

/** Polls `check` until it returns true or `ms` pass; fails with `what`. */
async function eventually(what: string, ms: number, check: () => Promise<boolean>) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`timed out after ${ms} ms waiting until ${what}`);
}

/** Both tracks play: time moves on and new frames are decoded. */
async function assertPlaying(page: Page, ms: number) {
  for (const track of ["camera", "whiteboard"]) {
    const before = await probe(page, track);
    await eventually(`the viewer's ${track} plays`, ms, async () => {
      const now = await probe(page, track);
      return now.time > before.time + 0.5 && now.frames > before.frames + 5;
    });
  }
}

async function goLive(page: Page) {
  await page.waitForFunction(() =>
    !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
  );
  await page.click('[data-testid="go-live"]');
  await waitLive(page);
}

function waitLive(page: Page) {
  return page.waitForSelector('[data-testid="live-status"][data-status="live"]', {
    timeout: 15_000,
  });
}

Deno.test("studio goes live and a viewer plays, sees drawing, survives a reload, stays short", async (t) => {
  await using pages = await openPages();
  const { server } = pages;
  const studio = await pages.page("studio", `${server.origin}/studio`);
  let viewerUrl = "";
  let viewer!: Page;
  let viewerOpenedAt = 0;

  await t.step("the presenter goes live in a new room", async () => {
    const link = studio.locator('[data-testid="viewer-link"]');
    await link.waitFor();
    viewerUrl = (await link.getAttribute("href"))!;
    assert.match(viewerUrl, /\/s\/[A-Za-z0-9_-]+$/);
    await goLive(studio);
  });

  await t.step("a viewer who joins 5 s into the stream plays both tracks", async () => {
    const id = viewerUrl.split("/").pop()!;
    await eventually("the server holds 5 s of camera media", 20_000, async () => {
      const res = await fetch(`${server.origin}/api/rooms/${id}`);
      const { tracks } = await res.json();
      const camera = tracks.find((track: { name: string }) => track.name === "camera");
      return (camera?.bufferedSeconds ?? 0) >= 5;
    });
    viewer = await pages.page("viewer", viewerUrl);
    viewerOpenedAt = Date.now();
    await viewer.waitForSelector('.viewer[data-phase="live"]', { timeout: 10_000 });
    await assertPlaying(viewer, 10_000);
    // Near the live edge once the controller has settled (as in the soak below): a single
    // sample taken while a late chunk is on its way may be over the bound for a moment.
    let cam = await probe(viewer, "camera");
    await eventually("the camera is near the live edge", 5_000, async () => {
      cam = await probe(viewer, "camera");
      return cam.end! - cam.time < 1.5;
    }).catch((err) => assert.fail(`${err.message}: ${JSON.stringify(cam)}`));
  });

  await t.step("drawing on the whiteboard shows up in the viewer's video", async () => {
    const before = await darkShare(viewer);
    await studio.click('[aria-label="Width 16"]');
    const box = (await studio.locator('[data-testid="whiteboard"]').boundingBox())!;
    for (let row = 0; row < 4; row++) {
      const y = box.y + box.height * (0.2 + row * 0.2);
      await studio.mouse.move(box.x + box.width * 0.1, y);
      await studio.mouse.down();
      for (let i = 1; i <= 16; i++) {
        await studio.mouse.move(box.x + box.width * (0.1 + i * 0.05), y + (i % 2) * 20);
      }
      await studio.mouse.up();
    }
    await eventually("the viewer's whiteboard turns darker", 10_000, async () => {
      return (await darkShare(viewer)) > before + 0.02;
    });
  });

  await t.step(
    "a presenter reload keeps the room and the viewer recovers by itself",
    async () => {
      const sources = () =>
        viewer.evaluate(() => [...document.querySelectorAll("video")].map((v) => v.src).join(" "));
      const before = await sources();
      const drawn = await boardDarkShare(studio);
      assert.ok(drawn > 0.01, `the board has the stroke before the reload (${drawn})`);
      await studio.reload();
      const link = studio.locator('[data-testid="viewer-link"]');
      await link.waitFor();
      assert.equal(await link.getAttribute("href"), viewerUrl);
      await eventually("the drawing comes back after the reload", 5_000, async () => {
        return Math.abs((await boardDarkShare(studio)) - drawn) < drawn * 0.2;
      });
      await waitLive(studio);
      await eventually("the viewer takes the new streams", 15_000, async () => {
        const now = await sources();
        return !now.split(" ").some((src) => before.includes(src));
      });
      await viewer.waitForSelector('.viewer[data-phase="live"]', { timeout: 15_000 });
      await assertPlaying(viewer, 15_000);
    },
  );

  await t.step(`an open viewer keeps its buffer short (open ${SOAK_S} s in all)`, async () => {
    let longest = 0;
    let worst: VideoProbe | null = null;
    // Sampled once a second for the whole soak (the soak's length is the point, not a wait).
    while (Date.now() - viewerOpenedAt < SOAK_S * 1000) {
      for (const track of ["camera", "whiteboard"]) {
        const p = await probe(viewer, track);
        if (p.start !== null && p.time - p.start > longest) {
          longest = p.time - p.start;
          worst = p;
        }
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
    assert.ok(
      longest <= MAX_BEHIND_S,
      `kept ${longest.toFixed(2)} s behind the playhead, over ${MAX_BEHIND_S} s: ${
        JSON.stringify(worst)
      }`,
    );
    // Near the live edge: a loaded machine may lag a moment; the controller must pull it back.
    for (const track of ["camera", "whiteboard"]) {
      await eventually(`${track} is back near live`, 5_000, async () => {
        const p = await probe(viewer, track);
        return p.end! - p.time < 1.5;
      });
    }
    await assertPlaying(viewer, 5_000);
  });
  await t.step("the viewer shows a latency estimate and the viewer count", async () => {
    const latency = await viewer.locator('[data-testid="latency"]').textContent();
    assert.match(latency ?? "", /\d\.\d s/);
    await studio.waitForSelector('[data-testid="viewer-count"]:has-text("1 viewer")');
  });
  pages.assertNoPageErrors();
});

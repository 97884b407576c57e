/**
 * Firefox ESR (over WebDriver BiDi, tests/firefox.ts) against the real server:
 *
 * - a Firefox viewer of a Chromium presenter plays the camera at the frame
 *   rate a Chromium viewer gets (Firefox's MSE took Chromium's muxed
 *   VP8+Opus clusters at ~1 fps; the camera is video-only now), and the voice;
 * - the studio → viewer path in Firefox: a Firefox presenter goes live, a
 *   Firefox viewer plays camera, whiteboard and voice near the live edge;
 * - a late joiner of a Firefox presenter (whose recorder keys every ~7 s)
 *   shows its first camera frame within 1.5 s, thanks to the studio's
 *   sparse-keyframe fallback driven by the server's `stats`;
 * - a Firefox presenter's `camera-low` (drawn small on a canvas there) is
 *   VP8 video only, at most 320×240, and restarted so that its keyframes are
 *   never much more than its promised 2 s old.
 *
 * One Firefox per page that must play (background tabs are throttled).
 */
import assert from "node:assert/strict";
import { launchBrowser } from "./browser.ts";
import { type FirefoxPage, launchFirefox } from "./firefox.ts";
import { startTestServer } from "./server.ts";
import { watch } from "./ws_clients.ts";
import { probeStreams } from "./ffmpeg_check.ts";

/** The product's bound for a late joiner's first frame (issue #9). */
const LATE_JOIN_MS = 1500;

/** The part of a page these helpers use; Playwright's and Puppeteer's both have it. */
interface AnyPage {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}
const any = (page: unknown) => page as AnyPage;

interface Probe {
  time: number;
  frames: number;
  end: number | null;
  at: number;
}

function probe(page: AnyPage, track: string): Promise<Probe> {
  return page.evaluate((track: string) => {
    const v = document.querySelector<HTMLMediaElement>(`[data-track="${track}"]`)!;
    const b = v.buffered;
    const q = (v as HTMLVideoElement).getVideoPlaybackQuality?.();
    return {
      time: v.currentTime,
      frames: q ? q.totalVideoFrames - q.droppedVideoFrames : 0,
      end: b.length ? b.end(b.length - 1) : null,
      at: performance.now(),
    };
  }, track);
}

/** Polls `check` until it holds or `ms` pass; fails with `what`. */
async function eventually(what: string, ms: number, check: () => Promise<boolean>) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out after ${ms} ms waiting until ${what}`);
}

/** Waits until the track's time moves on by `seconds` (and, for video, frames are shown). */
async function waitPlaying(page: AnyPage, track: string, ms = 15_000, seconds = 0.5) {
  // The viewer island renders its media elements once it has hydrated, which may be after
  // the page load that goto() waits for: probing before then read `null`.
  await eventually(`the ${track} element is there`, ms, () =>
    page.evaluate(
      (track: string) => document.querySelector(`[data-track="${track}"]`) !== null,
      track,
    ));
  const before = await probe(page, track);
  await eventually(`${track} plays`, ms, async () => {
    const now = await probe(page, track);
    return now.time > before.time + seconds && (track === "audio" || now.frames > before.frames);
  });
}

/**
 * The camera gets within 1.5 s of its buffered end (the live edge) within 5 s. Polled, not
 * sampled once: a sample taken while a late chunk is on its way, or just after the join, may
 * be over the bound for a moment before the live-edge controller pulls the player back.
 */
async function nearLiveEdge(page: AnyPage, who: string) {
  let cam = await probe(page, "camera");
  await eventually(`${who} is near the live edge`, 5_000, async () => {
    cam = await probe(page, "camera");
    return cam.end! - cam.time < 1.5;
  }).catch((err) => assert.fail(`${err.message}: ${JSON.stringify(cam)}`));
}

/** Presented camera frames per second over `ms`, measured in the page. */
async function cameraFps(page: AnyPage, ms: number): Promise<number> {
  const a = await probe(page, "camera");
  await new Promise((r) => setTimeout(r, ms));
  const b = await probe(page, "camera");
  return (b.frames - a.frames) / ((b.at - a.at) / 1000);
}

async function firefoxGoLive(studio: FirefoxPage, origin: string): Promise<string> {
  await studio.goto(`${origin}/studio`);
  await studio.waitForSelector('[data-testid="go-live"]:not([disabled])', { timeout: 20_000 });
  const href = await studio.$eval('[data-testid="viewer-link"]', (a) => a.getAttribute("href"));
  await studio.click('[data-testid="go-live"]');
  await studio.waitForSelector('[data-testid="live-status"][data-status="live"]', {
    timeout: 20_000,
  });
  return new URL(href!, origin).href;
}

Deno.test("a Firefox viewer of a Chromium presenter plays the camera at the Chromium viewer's frame rate", async () => {
  const server = await startTestServer();
  await using chromium = await launchBrowser();
  await using firefox = await launchFirefox();
  try {
    const studio = await chromium.newPage();
    await studio.goto(`${server.origin}/studio`);
    const link = studio.locator('[data-testid="viewer-link"]');
    await link.waitFor();
    const viewerUrl = new URL((await link.getAttribute("href"))!, server.origin).href;
    await studio.waitForFunction(() =>
      !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
    );
    await studio.click('[data-testid="go-live"]');
    await studio.waitForSelector('[data-testid="live-status"][data-status="live"]');

    const ff = await firefox.newPage();
    await ff.goto(viewerUrl);
    const cr = await chromium.newPage();
    await cr.goto(viewerUrl);
    for (const page of [any(ff), any(cr)]) {
      await waitPlaying(page, "camera");
      await waitPlaying(page, "audio");
    }
    const [firefoxFps, chromiumFps] = await Promise.all([
      cameraFps(any(ff), 4000),
      cameraFps(any(cr), 4000),
    ]);
    console.log(
      `camera fps: Firefox viewer ${firefoxFps.toFixed(1)}, Chromium viewer ${
        chromiumFps.toFixed(1)
      }`,
    );
    // The reference must be a moving picture (the bug was ~1 fps in Firefox against ~19).
    assert.ok(chromiumFps > 5, `the Chromium viewer plays (${chromiumFps.toFixed(1)} fps)`);
    assert.ok(
      firefoxFps > chromiumFps * 0.75,
      `Firefox ${firefoxFps.toFixed(1)} fps vs Chromium ${chromiumFps.toFixed(1)} fps`,
    );
    await nearLiveEdge(any(ff), "Firefox");
  } finally {
    await firefox.close();
    await chromium.close();
    await server.close();
  }
});

Deno.test("a Firefox presenter: a Firefox viewer plays every track; a late joiner starts within 1.5 s", async (t) => {
  const server = await startTestServer();
  await using presenter = await launchFirefox();
  await using watcher = await launchFirefox();
  await using chromium = await launchBrowser();
  try {
    const studio = await presenter.newPage();
    const viewerUrl = await firefoxGoLive(studio, server.origin);

    await t.step(
      "a Firefox viewer plays camera, whiteboard and voice near the live edge",
      async () => {
        const viewer = await watcher.newPage();
        await viewer.goto(viewerUrl);
        await viewer.waitForSelector('.viewer[data-phase="live"]', { timeout: 15_000 });
        for (const track of ["camera", "whiteboard", "audio"]) {
          await waitPlaying(any(viewer), track);
        }
        await nearLiveEdge(any(viewer), "the Firefox viewer");
        await viewer.close();
      },
    );

    await t.step("the studio restarts its sparse-keyframe camera once stats say so", async () => {
      // Firefox keys every ~7 s. Once the studio's stats show that, it restarts the camera's
      // recorder every 4 s: a new stream, so keyframes are never much more than 4 s old.
      const id = new URL(viewerUrl).pathname.split("/").pop()!;
      const age = async () => {
        const room = await (await fetch(`${server.origin}/api/rooms/${id}`)).json();
        return room.tracks.find((t: { name: string }) => t.name === "camera")?.keyframeAgeMs ??
          0;
      };
      let oldest = 0;
      await eventually("the camera restarts after a sparse keyframe", 20_000, async () => {
        const now = await age();
        const restarted = oldest > 3_000 && now < oldest;
        oldest = Math.max(oldest, now);
        return restarted;
      });
      let worst = 0;
      const until = Date.now() + 9_000;
      while (Date.now() < until) {
        worst = Math.max(worst, await age());
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(worst <= 5_000, `the newest keyframe was ${worst} ms old`);
    });

    await t.step("camera-low: small, video only, keyframes at most ~2 s old", async () => {
      const id = new URL(viewerUrl).pathname.split("/").pop()!;
      const low = async () => {
        const room = await (await fetch(`${server.origin}/api/rooms/${id}`)).json();
        return room.tracks.find((t: { name: string }) => t.name === "camera-low");
      };
      const viewer = await watch(server.origin, id, undefined, ["camera-low"]);
      // Firefox keys every ~7.5 s; the studio restarts camera-low every 2 s once stats show its
      // newest keyframe over 2.5 s old (long done by now). Watched for longer than Firefox's own
      // spacing, so a studio that did not restart would show ages up to ~7 s.
      let worst = 0;
      const until = Date.now() + 9_000;
      while (Date.now() < until) {
        worst = Math.max(worst, (await low())?.keyframeAgeMs ?? 0);
        await new Promise((r) => setTimeout(r, 200));
      }
      // The promise (2 s), a quarter over it before the studio acts (as for the camera above).
      assert.ok(worst <= 2_500, `camera-low's newest keyframe was ${worst} ms old`);
      const streams = await probeStreams(viewer.trackBytes("camera-low"));
      assert.deepEqual(streams.map((s) => [s.codec_type, s.codec_name]), [["video", "vp8"]]);
      assert.ok(streams[0].width! <= 320 && streams[0].height! <= 240, JSON.stringify(streams[0]));
      await viewer.close();
    });

    await t.step("late joiners show their first camera frame within 1.5 s", async () => {
      // Timed from the moment the viewer's socket opens (the join), so that a machine busy
      // loading the page does not count; from navigation start is printed alongside.
      const times: number[] = [];
      const fromNavigation: number[] = [];
      for (let i = 0; i < 3; i++) {
        const page = await chromium.newPage();
        await page.addInitScript(() => {
          const g = globalThis as unknown as { __first?: number; __open?: number };
          const Socket = WebSocket;
          globalThis.WebSocket = class extends Socket {
            constructor(url: string | URL, protocols?: string | string[]) {
              super(url, protocols);
              this.addEventListener("open", () => g.__open ??= performance.now());
            }
          };
          const poll = () => {
            const v = document.querySelector<HTMLVideoElement>('video[data-track="camera"]');
            if (v && v.getVideoPlaybackQuality().totalVideoFrames > 0) {
              g.__first = performance.now();
            } else setTimeout(poll, 10);
          };
          poll();
        });
        await page.goto(viewerUrl);
        await page.waitForFunction(() => (globalThis as { __first?: number }).__first, null, {
          timeout: 15_000,
        });
        const { first, open } = await page.evaluate(() => {
          const g = globalThis as unknown as { __first: number; __open: number };
          return { first: g.__first, open: g.__open };
        });
        times.push(first - open);
        fromNavigation.push(first);
        await page.close();
        // Join at different points of the recorder's restart cycle.
        await new Promise((r) => setTimeout(r, 1300));
      }
      const ms = (list: number[]) => list.map((t) => t.toFixed(0)).join(", ");
      console.log(
        `late join, first camera frame: ${ms(times)} ms after the socket opened ` +
          `(${ms(fromNavigation)} ms after navigation start)`,
      );
      for (const ms of times) assert.ok(ms <= LATE_JOIN_MS, `first frame after ${ms} ms`);
    });
  } finally {
    await chromium.close();
    await watcher.close();
    await presenter.close();
    await server.close();
  }
});

/**
 * Latency benchmark in Chromium against the real server (a child process).
 *
 * Glass-to-glass on the whiteboard track: the studio page fills the middle of
 * its whiteboard canvas black or board-white and notes the time; the viewer
 * page samples the middle of every frame its whiteboard `<video>` presents
 * (requestVideoFrameCallback, drawImage to a small canvas) and notes when the
 * change shows. Both pages live in one browser, so `timeOrigin + now()` is one
 * clock. What is measured is everything a viewer waits for: canvas capture,
 * encoding, the recorder's chunking, upload, parsing, fan-out, MSE append and
 * the player's distance from the live edge, decode and presentation.
 *
 * Late join: fresh browser contexts (a second Chromium, cold cache) open
 * `/s/:id` while the presenter is live; the time from navigation start to the
 * first presented frame on both tracks.
 *
 * Targets (not asserted): glass-to-glass p50 ≤ 500 ms and p95 ≤ 800 ms; late
 * join p50 ≤ 1 s. Needs `deno task build` first (the bench task does it).
 * Usage: deno run -A bench/latency_bench.ts [samples=20] [late joins=10]
 */
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, launchBrowser, type Page } from "../tests/browser.ts";
import { startServerProcess } from "./server_process.ts";

const SAMPLES = Number(Deno.args[0] ?? 20);
const JOINS = Number(Deno.args[1] ?? 10);
const WARMUP = 3;
/** CHALKCAST_BENCH_VERBOSE=1 prints every sample. */
const VERBOSE = Boolean(Deno.env.get("CHALKCAST_BENCH_VERBOSE"));
/** Time between the starts of two glass-to-glass samples. */
const SPACING_MS = 1000;
/** A change that has not shown after this long counts as missed. */
const TIMEOUT_MS = 5000;

/** The filled area, in whiteboard pixels (the canvas is 1280×720): the middle quarter. */
const FILL = { x: 320, y: 180, w: 640, h: 360 };

interface Flip {
  dark: boolean;
  /** Wall-clock ms (timeOrigin + now) when the frame is expected on screen. */
  display: number;
  /** Wall-clock ms when the frame callback ran. */
  callback: number;
  /** Seconds of media buffered ahead of this frame, and the playback rate then. */
  ahead: number;
  rate: number;
}

/** Installs the frame sampler on the viewer's whiteboard video; flips land in `__g2g`. */
function installSampler(page: Page): Promise<void> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('video[data-track="whiteboard"]')!;
    const c = document.createElement("canvas");
    c.width = 32;
    c.height = 18;
    const ctx = c.getContext("2d", { willReadFrequently: true })!;
    const state = { dark: null as boolean | null, flips: [] as unknown[], frames: 0 };
    (globalThis as unknown as { __g2g: typeof state }).__g2g = state;
    const onFrame = (now: number, meta: VideoFrameCallbackMetadata) => {
      const w = v.videoWidth, h = v.videoHeight;
      if (w > 0 && h > 0) {
        // The inner half of the filled area, so scaling and blur at its edges do not count.
        ctx.drawImage(v, w * 0.375, h * 0.375, w * 0.25, h * 0.25, 0, 0, c.width, c.height);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
        const dark = sum / (3 * c.width * c.height) < 128;
        state.frames++;
        if (dark !== state.dark) {
          state.dark = dark;
          const b = v.buffered;
          state.flips.push({
            dark,
            display: performance.timeOrigin + meta.expectedDisplayTime,
            callback: performance.timeOrigin + now,
            ahead: b.length ? b.end(b.length - 1) - meta.mediaTime : NaN,
            rate: v.playbackRate,
          });
        }
      }
      v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
  });
}

/** Fills the middle of the studio's whiteboard; returns when, on the shared clock. */
function fill(studio: Page, dark: boolean): Promise<number> {
  return studio.evaluate(({ dark, r }) => {
    const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-testid="whiteboard"]')!;
    // The same context the Board draws with (one per canvas), so this is its drawing path.
    const ctx = canvas.getContext("2d", { alpha: false })!;
    ctx.fillStyle = dark ? "#000000" : "#fbfaf6";
    ctx.fillRect(r.x, r.y, r.w, r.h);
    return performance.timeOrigin + performance.now();
  }, { dark, r: FILL });
}

/** Seconds between the viewer's playhead and the newest buffered media, per track. */
function viewerLag(page: Page): Promise<number> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('video[data-track="whiteboard"]')!;
    const b = v.buffered;
    return b.length ? b.end(b.length - 1) - v.currentTime : NaN;
  });
}

/**
 * Records, per track, the first presented frame (ms after navigation start)
 * into `__join`. It listens to every frame, not only an element's first: the
 * camera element plays `camera-low` on medium, and a viewer that showed
 * camera-low before it stepped up to high would otherwise never record
 * `camera` (a join counted as failed while its video played).
 */
const JOIN_HOOK = `(() => {
  const join = globalThis.__join = {};
  const hook = () => {
    for (const v of document.querySelectorAll("video[data-track]")) {
      if (v.__joinHooked) continue;
      v.__joinHooked = true;
      const onFrame = (now, meta) => {
        join[v.dataset.track] ??= { callback: now, display: meta.expectedDisplayTime };
        v.requestVideoFrameCallback(onFrame);
      };
      v.requestVideoFrameCallback(onFrame);
    }
  };
  new MutationObserver(hook).observe(document, { childList: true, subtree: true });
})();`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(0);
  return `p50 ${f(percentile(s, 0.5))} ms, p95 ${f(percentile(s, 0.95))} ms, ` +
    `min ${f(s[0] ?? NaN)}, max ${f(s[s.length - 1] ?? NaN)} (n=${s.length})`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function goLive(studio: Page): Promise<string> {
  const link = studio.locator('[data-testid="viewer-link"]');
  await link.waitFor();
  const url = (await link.getAttribute("href"))!;
  await studio.waitForFunction(() =>
    !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
  );
  await studio.click('[data-testid="go-live"]');
  await studio.waitForSelector('[data-testid="live-status"][data-status="live"]', {
    timeout: 15_000,
  });
  return url;
}

async function glassToGlass(studio: Page, viewer: Page) {
  await installSampler(viewer);
  const latencies: number[] = [];
  const lags: number[] = [];
  let missed = 0;
  let dark = true;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const flipsBefore = await viewer.evaluate(() =>
      (globalThis as unknown as { __g2g: { flips: unknown[] } }).__g2g.flips.length
    );
    const drawnAt = await fill(studio, dark);
    let shown: Flip | null = null;
    try {
      const handle = await viewer.waitForFunction(
        ({ from, dark }) => {
          const flips = (globalThis as unknown as { __g2g: { flips: Flip[] } }).__g2g.flips;
          return flips.slice(from).find((f) => f.dark === dark) ?? null;
        },
        { from: flipsBefore, dark },
        { timeout: TIMEOUT_MS, polling: 20 },
      );
      shown = (await handle.jsonValue()) as Flip;
    } catch {
      // Counted below.
    }
    if (i >= WARMUP) {
      if (shown) latencies.push(shown.display - drawnAt);
      else missed++;
      if (VERBOSE) {
        const ahead = shown
          ? `${(shown.ahead * 1000).toFixed(0)} ms ahead, rate ${shown.rate}`
          : "";
        console.log(
          `  sample ${i - WARMUP + 1}: ` +
            (shown ? `${(shown.display - drawnAt).toFixed(0)} ms (${ahead})` : "missed"),
        );
      }
      lags.push(await viewerLag(viewer));
    }
    dark = !dark;
    const wait = drawnAt + SPACING_MS - (performance.timeOrigin + performance.now());
    if (wait > 0) await sleep(wait);
  }
  return { latencies, lags, missed };
}

async function lateJoins(url: string) {
  const browser = await chromium.launch({
    executablePath: Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS],
  });
  const both: number[] = [];
  const perTrack: Record<string, number[]> = { camera: [], whiteboard: [] };
  let failed = 0;
  try {
    for (let i = 0; i < JOINS; i++) {
      const context = await browser.newContext();
      let page: Page | undefined;
      try {
        page = await context.newPage();
        await page.addInitScript(JOIN_HOOK);
        await page.goto(url);
        const handle = await page.waitForFunction(
          () => {
            const j = (globalThis as unknown as {
              __join: Record<string, { display: number }>;
            }).__join;
            return j.camera && j.whiteboard ? j : null;
          },
          null,
          { timeout: 15_000, polling: 20 },
        );
        const j = (await handle.jsonValue()) as Record<string, { display: number }>;
        for (const t of ["camera", "whiteboard"]) perTrack[t].push(j[t].display);
        both.push(Math.max(j.camera.display, j.whiteboard.display));
      } catch (err) {
        failed++;
        // What the page shows says why: a step down (data-profile) or a track with no frame.
        const seen = await page?.evaluate(() => ({
          profile: document.querySelector(".viewer")?.getAttribute("data-profile"),
          frames: Object.keys((globalThis as unknown as { __join: object }).__join),
        })).catch(() => null);
        console.error(
          `late join ${i + 1}: ${(err as Error).message.split("\n")[0]}` +
            (seen ? ` (profile ${seen.profile}, first frames on ${seen.frames.join(", ")})` : ""),
        );
      } finally {
        await context.close();
      }
      // Vary the phase against the 1 s keyframe interval.
      await sleep(700 + Math.random() * 1000);
    }
  } finally {
    await browser.close();
  }
  return { both, perTrack, failed };
}

/** The 1-minute load average: other work on this machine shows up in every figure here. */
const load = () => Deno.readTextFileSync("/proc/loadavg").split(" ")[0];

console.log(`latency: ${navigator.hardwareConcurrency} cores, load average ${load()} at start`);
const server = await startServerProcess();
await using browser = await launchBrowser();
try {
  const studio = await browser.newPage();
  await studio.goto(`${server.origin}/studio`);
  const url = await goLive(studio);

  const viewer = await browser.newPage();
  await viewer.goto(url);
  await viewer.waitForSelector('.viewer[data-phase="live"]', { timeout: 15_000 });
  await viewer.waitForFunction(
    () => {
      const v = document.querySelector<HTMLVideoElement>('video[data-track="whiteboard"]')!;
      return !v.paused && v.currentTime > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 10;
    },
    null,
    { timeout: 15_000 },
  );
  await sleep(2000); // let the live-edge controller settle

  const g2g = await glassToGlass(studio, viewer);
  console.log(
    `glass-to-glass (whiteboard, ${SAMPLES} samples ${SPACING_MS} ms apart, ${WARMUP} warm-up): ` +
      summary(g2g.latencies) + (g2g.missed ? `, ${g2g.missed} missed` : ""),
  );
  const lag = g2g.lags.filter(Number.isFinite).map((s) => s * 1000);
  console.log(`  viewer buffer ahead of the playhead during it: ${summary(lag)}`);
  await viewer.close();

  const joins = await lateJoins(url);
  console.log(
    `late join (navigation to first frame on both tracks, fresh context each): ` +
      summary(joins.both) + (joins.failed ? `, ${joins.failed} failed` : ""),
  );
  for (const [track, values] of Object.entries(joins.perTrack)) {
    console.log(`  ${track.padEnd(10)} first frame: ${summary(values)}`);
  }
  console.log(`  load average ${load()} at the end`);
} finally {
  await browser.close();
  await server.stop();
}

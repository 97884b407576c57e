/**
 * Glass-to-glass measurement in Chromium, as bench/latency_bench.ts does it:
 * the studio fills the middle of its whiteboard black or board-white and
 * notes the time; the viewer samples the middle of every frame its
 * whiteboard `<video>` presents (requestVideoFrameCallback) and notes when
 * the change shows. Both pages live in one browser, so `timeOrigin + now()`
 * is one clock. Shared by the pull-mode benchmark and the nginx viewer test.
 */
import type { Page } from "../tests/browser.ts";

/** The filled area, in whiteboard pixels (the canvas is 1280×720): the middle quarter. */
const FILL = { x: 320, y: 180, w: 640, h: 360 };

interface Flip {
  dark: boolean;
  /** Wall-clock ms (timeOrigin + now) when the frame is expected on screen. */
  display: number;
}

/** Installs the frame sampler on the viewer's whiteboard video; flips land in `__g2g`. */
export function installSampler(page: Page): Promise<void> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('video[data-track="whiteboard"]')!;
    const c = document.createElement("canvas");
    c.width = 32;
    c.height = 18;
    const ctx = c.getContext("2d", { willReadFrequently: true })!;
    const state = { dark: null as boolean | null, flips: [] as unknown[] };
    (globalThis as unknown as { __g2g: typeof state }).__g2g = state;
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      const w = v.videoWidth, h = v.videoHeight;
      if (w > 0 && h > 0) {
        // The inner half of the filled area, so scaling and blur at its edges do not count.
        ctx.drawImage(v, w * 0.375, h * 0.375, w * 0.25, h * 0.25, 0, 0, c.width, c.height);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
        const dark = sum / (3 * c.width * c.height) < 128;
        if (dark !== state.dark) {
          state.dark = dark;
          state.flips.push({ dark, display: performance.timeOrigin + meta.expectedDisplayTime });
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
    const ctx = canvas.getContext("2d", { alpha: false })!;
    ctx.fillStyle = dark ? "#000000" : "#fbfaf6";
    ctx.fillRect(r.x, r.y, r.w, r.h);
    return performance.timeOrigin + performance.now();
  }, { dark, r: FILL });
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/**
 * `samples` glass-to-glass latencies in ms (after `warmup` unrecorded ones),
 * a change every `spacingMs`; a change not shown within `timeoutMs` is missed.
 */
export async function glassToGlass(
  studio: Page,
  viewer: Page,
  options: { samples: number; warmup?: number; spacingMs?: number; timeoutMs?: number },
): Promise<{ latencies: number[]; missed: number }> {
  const { samples, warmup = 2, spacingMs = 1000, timeoutMs = 5000 } = options;
  await installSampler(viewer);
  const latencies: number[] = [];
  let missed = 0;
  let dark = true;
  for (let i = 0; i < warmup + samples; i++) {
    const from = await viewer.evaluate(() =>
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
        { from, dark },
        { timeout: timeoutMs, polling: 20 },
      );
      shown = (await handle.jsonValue()) as Flip;
    } catch {
      // counted below
    }
    if (i >= warmup) {
      if (shown) latencies.push(shown.display - drawnAt);
      else missed++;
    }
    dark = !dark;
    // The next change a spacing after this one (waiting for the flip already took part of it).
    const wait = drawnAt + spacingMs - (performance.timeOrigin + performance.now());
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return { latencies, missed };
}

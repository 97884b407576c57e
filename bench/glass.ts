/**
 * Glass-to-glass measurement in Chromium: the presenter draws over the middle
 * of the studio's whiteboard (real mouse input, the widest pen), then presses
 * Clear and notes the time; the viewer samples the middle of every frame its
 * whiteboard `<video>` presents (requestVideoFrameCallback) and notes when the
 * board shows blank again. Clear is one click, so its moment is exact; the
 * drawing before it is not timed. Both pages live in one browser, so
 * `timeOrigin + now()` is one clock. What is measured is everything a viewer
 * waits for: the board's redraw, capture, encoding, the recorder's chunking,
 * upload, fan-out or pull, MSE append, the player's distance from the live
 * edge, decode and presentation. Shared by the pull-mode benchmark and the
 * nginx viewer test.
 */
import type { Page } from "../tests/browser.ts";

/**
 * The area drawn over, in whiteboard pixels (the canvas is 1280×720): a
 * margin around the middle the viewer samples (the inner quarter of each axis).
 */
const FILL = { x: 400, y: 230, w: 480, h: 260 };

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

/** Draws a dense zig-zag over the middle of the studio's whiteboard with the widest pen. */
async function draw(studio: Page): Promise<void> {
  await studio.click('[aria-label="Width 16"]');
  const box = (await studio.locator('canvas[data-testid="whiteboard"]').boundingBox())!;
  const s = box.width / 1280; // board pixels to CSS pixels
  const at = (x: number, y: number) => [box.x + x * s, box.y + y * s] as const;
  await studio.mouse.move(...at(FILL.x, FILL.y));
  await studio.mouse.down();
  // Rows 12 board px apart with a 16 px pen: no board colour shows between them.
  for (let y = FILL.y, right = true; y <= FILL.y + FILL.h; y += 12, right = !right) {
    await studio.mouse.move(...at(right ? FILL.x + FILL.w : FILL.x, y));
    await studio.mouse.move(...at(right ? FILL.x + FILL.w : FILL.x, y + 12));
  }
  await studio.mouse.up();
}

/** Presses Clear on the studio's whiteboard; returns when, on the shared clock. */
function clear(studio: Page): Promise<number> {
  return studio.evaluate(() => {
    const t = performance.timeOrigin + performance.now();
    document.querySelector<HTMLButtonElement>('[data-testid="clear"]')!.click();
    return t;
  });
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
  const flips = () =>
    viewer.evaluate(() =>
      (globalThis as unknown as { __g2g: { flips: unknown[] } }).__g2g.flips.length
    );
  /** The first flip to `dark` after flip number `from`, or null after timeoutMs. */
  const shown = async (from: number, dark: boolean): Promise<Flip | null> => {
    try {
      const handle = await viewer.waitForFunction(
        ({ from, dark }) => {
          const flips = (globalThis as unknown as { __g2g: { flips: Flip[] } }).__g2g.flips;
          return flips.slice(from).find((f) => f.dark === dark) ?? null;
        },
        { from, dark },
        { timeout: timeoutMs, polling: 20 },
      );
      return (await handle.jsonValue()) as Flip;
    } catch {
      return null;
    }
  };
  for (let i = 0; i < warmup + samples; i++) {
    // Untimed: draw until the viewer shows the ink.
    let from = await flips();
    await draw(studio);
    const inked = await shown(from, true);
    // Timed: one click on Clear until the viewer shows the blank board.
    from = await flips();
    const clearedAt = await clear(studio);
    const blank = inked ? await shown(from, false) : null;
    if (i >= warmup) {
      if (blank) latencies.push(blank.display - clearedAt);
      else missed++;
    }
    const wait = clearedAt + spacingMs - (performance.timeOrigin + performance.now());
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return { latencies, missed };
}

/**
 * How long a presenter's slide change or stroke takes to show on a viewer,
 * measured inside the browser: the studio notes when the pen went down or
 * the key was pressed, the viewer when its slide view (`[data-testid=slide]`
 * `data-slide-index`, `data-strokes`) met the condition. Both read the
 * machine's clock (`Date.now()`), so the pages may live in different
 * browsers; the test's own polling and the runner's load do not count.
 */
import type { Page } from "./browser.ts";

/** Draws a short stroke; resolves with the time the pen went down. */
export async function stroke(studio: Page, y: number, penDown: (at: number) => void = () => {}) {
  const box = (await studio.locator('[data-testid="whiteboard"]').boundingBox())!;
  await studio.mouse.move(box.x + box.width * 0.2, box.y + box.height * y);
  penDown(Date.now());
  await studio.mouse.down();
  for (let i = 1; i <= 10; i++) {
    await studio.mouse.move(box.x + box.width * (0.2 + i * 0.04), box.y + box.height * y + i * 3);
  }
  await studio.mouse.up();
}

/** The studio notes (once) when the pen next goes down or a key is next pressed. */
export async function markStudio(studio: Page, event: "pointerdown" | "keydown") {
  await studio.evaluate((event) => {
    const w = globalThis as unknown as { markedAt?: number };
    delete w.markedAt;
    document.addEventListener(event, () => (w.markedAt ??= Date.now()), {
      capture: true,
      once: true,
    });
  }, event);
}

/** The viewer notes when its slide view's `data-<attr>` reaches `atLeast`. */
export async function markViewer(viewer: Page, attr: "strokes" | "slideIndex", atLeast: number) {
  await viewer.evaluate(([attr, atLeast]) => {
    const w = globalThis as unknown as { shownAt?: number };
    delete w.shownAt;
    const el = document.querySelector<HTMLElement>('[data-testid="slide"]')!;
    new MutationObserver(() => {
      if (w.shownAt === undefined && Number(el.dataset[attr]) >= Number(atLeast)) {
        w.shownAt = Date.now();
      }
    }).observe(el, { attributes: true });
  }, [attr, atLeast] as const);
}

/** Ms from the studio's mark to the viewer's, once the viewer's condition was met. */
export async function latency(studio: Page, viewer: Page, timeoutMs: number): Promise<number> {
  await viewer.waitForFunction(
    () => (globalThis as { shownAt?: number }).shownAt !== undefined,
    undefined,
    {
      timeout: timeoutMs,
    },
  );
  const shown = await viewer.evaluate(() => (globalThis as { shownAt?: number }).shownAt!);
  const marked = await studio.evaluate(() => (globalThis as { markedAt?: number }).markedAt!);
  return shown - marked;
}

/** A key as a clicker sends it, with nothing focused. */
export async function press(studio: Page, key: string) {
  await studio.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await studio.keyboard.press(key);
}

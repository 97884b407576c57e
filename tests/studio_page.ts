/**
 * The studio as browser tests drive it: open it, go live, learn the room.
 * One place for the steps (and their data-testids) so that every browser test
 * goes live the same way a presenter does.
 */
import { Buffer } from "node:buffer";
import type { Page } from "./browser.ts";
import { slideImage } from "./slide_images.ts";

/**
 * Rendering and encoding 4 renditions a page happens in the studio's browser while it is also
 * live (two video encoders): seconds on an idle machine, far more on a loaded one.
 */
export const DECK_UPLOAD_MS = 180_000;

/** What a studio that went live tells a test. */
export interface LiveStudio {
  /** The viewer link the studio shows (absolute URL). */
  viewerUrl: string;
  /** Its path, `/s/ID`, to open through another origin (e.g. a cache). */
  viewerPath: string;
  roomId: string;
}

/** Opens `${origin}/studio` in `page`, presses Go live and waits until the studio says live. */
export async function goLive(page: Page, origin: string): Promise<LiveStudio> {
  await page.goto(`${origin}/studio`);
  const link = page.locator('[data-testid="viewer-link"]');
  await link.waitFor();
  const viewerUrl = (await link.getAttribute("href"))!;
  const viewerPath = new URL(viewerUrl).pathname;
  await page.waitForFunction(() =>
    !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
  );
  await page.click('[data-testid="go-live"]');
  await page.waitForSelector('[data-testid="live-status"][data-status="live"]', {
    timeout: 15_000,
  });
  return { viewerUrl, viewerPath, roomId: viewerPath.split("/")[2] };
}

/**
 * Uploads `pages` test-pattern images (ffmpeg's, each a little wider than the last) from the
 * studio's deck input, as a presenter does, and waits until the studio shows slide 1 of them.
 */
export async function uploadImageDeck(page: Page, pages: number): Promise<void> {
  const files = await Promise.all(
    Array.from({ length: pages }, async (_, i) => ({
      name: `${i + 1}.png`,
      mimeType: "image/png",
      buffer: Buffer.from(await slideImage(640 + i * 64, 480, "png")),
    })),
  );
  await page.setInputFiles('[data-testid="slide-upload"]', files);
  await page.waitForSelector(`[data-testid="slide-position"]:has-text("Slide 1 / ${pages}")`, {
    timeout: DECK_UPLOAD_MS,
  });
}

/**
 * The studio as browser tests drive it: open it, go live, learn the room.
 * One place for the steps (and their data-testids) so that every browser test
 * goes live the same way a presenter does.
 */
import type { Page } from "./browser.ts";

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

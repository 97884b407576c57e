/**
 * A live room and one viewer on a link the test sets (tests/throttle.ts): a
 * studio with fake camera and microphone live in one Chromium, the viewer's
 * page in another, so that its throttled link is nobody else's. Page errors
 * of both are collected. Used by the low-bandwidth lesson and the voice
 * switch tests; disposing it closes both browsers and the server.
 */
import { launchBrowser, type Page } from "./browser.ts";
import type { Config } from "../lib/config.ts";
import { goLive } from "./studio_page.ts";
import { startTestServer } from "./server.ts";
import { ThrottledPage } from "./throttle.ts";

export interface ThrottledRoom extends AsyncDisposable {
  studio: Page;
  viewerUrl: string;
  /** The viewer's page, not yet navigated (init scripts may still be added). */
  page: Page;
  viewer: ThrottledPage;
  /** Page errors of either browser, which a run must not have. */
  errors: string[];
  close(): Promise<void>;
}

/** Starts a server (with `config` over the test defaults), a live studio and a viewer page. */
export async function openThrottledRoom(config: Partial<Config> = {}): Promise<ThrottledRoom> {
  const server = await startTestServer(config);
  const studioBrowser = await launchBrowser();
  const viewerBrowser = await launchBrowser();
  const close = async () => {
    await viewerBrowser.close();
    await studioBrowser.close();
    await server.close();
  };
  try {
    const errors: string[] = [];
    const studio = await studioBrowser.newPage();
    studio.on("pageerror", (e) => errors.push(`studio: ${e.message}`));
    const { viewerUrl } = await goLive(studio, server.origin);
    const page = await viewerBrowser.newPage();
    page.on("pageerror", (e) => errors.push(`viewer: ${e.message}`));
    const viewer = await ThrottledPage.of(page);
    return { studio, viewerUrl, page, viewer, errors, close, [Symbol.asyncDispose]: close };
  } catch (err) {
    await close();
    throw err;
  }
}

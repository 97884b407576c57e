/**
 * The setup most browser tests share, in one call: a test server, a Chromium, pages whose
 * uncaught errors are collected (`label: message`), and, with {@linkcode openLesson}, a studio
 * that went live. `await using` closes the browser, then the server, also when a test fails.
 *
 * @example
 * ```ts
 * await using lesson = await openLesson();
 * const viewer = await lesson.page("viewer", lesson.viewerUrl);
 * // ...the test's own steps...
 * lesson.assertNoPageErrors();
 * ```
 */
import assert from "node:assert/strict";
import type { Config } from "../lib/config.ts";
import type { StartOptions } from "../lib/server.ts";
import { launchBrowser, type LaunchOptions, type Page, type TestBrowser } from "./browser.ts";
import { startTestServer, type TestServer } from "./server.ts";
import { goLive, type LiveStudio } from "./studio_page.ts";

/** What {@linkcode openPages} passes on: to `startTestServer` and to `launchBrowser`. */
export interface PagesOptions {
  config?: Partial<Config>;
  start?: StartOptions;
  launch?: LaunchOptions;
}

/** A server and a browser for one test, with the page errors of the pages opened through it. */
export interface TestPages extends AsyncDisposable {
  readonly server: TestServer;
  readonly browser: TestBrowser;
  /** Uncaught errors of the pages opened with `page()`, as `label: message`. */
  readonly errors: string[];
  /** A new page whose uncaught errors go to `errors`; opens `url` if given. */
  page(label: string, url?: string): Promise<Page>;
  /** Fails if any page opened with `page()` threw so far. */
  assertNoPageErrors(): void;
  /** Closes the browser, then the server; safe to call twice. */
  close(): Promise<void>;
}

/** Starts a test server and a Chromium; closes the server again if Chromium fails to start. */
export async function openPages(options: PagesOptions = {}): Promise<TestPages> {
  const server = await startTestServer(options.config, options.start);
  let browser: TestBrowser;
  try {
    browser = await launchBrowser(options.launch);
  } catch (err) {
    await server.close();
    throw err;
  }
  const errors: string[] = [];
  let closed: Promise<void> | undefined;
  const close = () => closed ??= browser.close().finally(() => server.close());
  return {
    server,
    browser,
    errors,
    async page(label, url) {
      const page = await browser.newPage();
      page.on("pageerror", (e) => errors.push(`${label}: ${e.message}`));
      if (url !== undefined) await page.goto(url);
      return page;
    },
    assertNoPageErrors: () => assert.deepEqual(errors, []),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** {@linkcode TestPages} with a studio page (errors labelled `studio`) that went live. */
export interface Lesson extends TestPages, LiveStudio {
  readonly studio: Page;
}

/** {@linkcode openPages}, then `goLive` in a new `studio` page at the server's origin. */
export async function openLesson(options: PagesOptions = {}): Promise<Lesson> {
  const pages = await openPages(options);
  try {
    const studio = await pages.page("studio");
    return { ...pages, ...await goLive(studio, pages.server.origin), studio };
  } catch (err) {
    await pages.close();
    throw err;
  }
}

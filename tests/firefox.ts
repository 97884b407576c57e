/**
 * Headless Firefox ESR harness for browser tests, beside tests/browser.ts (Chromium).
 *
 * Drives the Debian `firefox-esr` package through `puppeteer-core` (npm) over WebDriver BiDi;
 * nothing is downloaded, so the binary must be installed (`apt-get install firefox-esr`; CI's
 * `.ci/run` and scripts/preflight.ts do it). Puppeteer gives every launch a fresh temporary
 * profile and removes it on `close()`.
 *
 * Prefs: the fake camera and microphone (a test pattern and a tone), no permission prompt, and
 * autoplay allowed, like Chromium's `--use-fake-*` and `--autoplay-policy` flags.
 *
 * Use one Firefox per page that must play in real time: Firefox throttles timers and media
 * work in background tabs, so two viewers in one browser measure the throttling, not us.
 *
 * @example
 * ```ts
 * await using firefox = await launchFirefox();
 * const page = await firefox.newPage();
 * await page.goto(url);
 * ```
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";

export type { Browser as FirefoxBrowser, Page as FirefoxPage };

/** Prefs every Firefox test runs with. */
export const FIREFOX_PREFS: Readonly<Record<string, unknown>> = {
  "media.navigator.streams.fake": true,
  "media.navigator.permission.disabled": true,
  "media.autoplay.default": 0,
  "media.autoplay.blocking_policy": 0,
  "media.autoplay.block-webaudio": false,
  // No background throttling of the one tab we drive, and no first-run noise.
  "dom.min_background_timeout_value": 4,
  "browser.shell.checkDefaultBrowser": false,
  "datareporting.policy.dataSubmissionEnabled": false,
};

export interface FirefoxLaunchOptions {
  /** Firefox binary; defaults to `$FIREFOX_PATH`, then `/usr/bin/firefox-esr`. */
  executablePath?: string;
  /** Prefs added to (or overriding) {@linkcode FIREFOX_PREFS}. */
  prefs?: Record<string, unknown>;
}

/** A running Firefox with its own throw-away profile. */
export interface TestFirefox extends AsyncDisposable {
  readonly browser: Browser;
  newPage(): Promise<Page>;
  /** Closes Firefox (and its profile); safe to call twice. */
  close(): Promise<void>;
}

/** Thrown when the Firefox binary is not installed where we look for it. */
export class FirefoxMissingError extends Error {
  constructor(path: string) {
    super(
      `Firefox not found at ${path}. Install it with \`apt-get install firefox-esr\` ` +
        "or point FIREFOX_PATH at a Firefox binary. Browser tests never skip.",
    );
    this.name = "FirefoxMissingError";
  }
}

/** Starts headless Firefox ESR with the fake camera/microphone over WebDriver BiDi. */
export async function launchFirefox(options: FirefoxLaunchOptions = {}): Promise<TestFirefox> {
  const executablePath = options.executablePath ?? Deno.env.get("FIREFOX_PATH") ??
    "/usr/bin/firefox-esr";
  try {
    if (!(await Deno.stat(executablePath)).isFile) throw new FirefoxMissingError(executablePath);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) throw new FirefoxMissingError(executablePath);
    throw err;
  }
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: "firefox",
      protocol: "webDriverBiDi",
      executablePath,
      headless: true,
      extraPrefsFirefox: { ...FIREFOX_PREFS, ...options.prefs },
    });
  } catch (err) {
    throw new Error(`Firefox at ${executablePath} failed to launch`, { cause: err });
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= browser.close().catch(() => {});
  return {
    browser,
    newPage: () => browser.newPage(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

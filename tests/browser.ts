/**
 * Shared headless-Chromium harness for browser tests.
 *
 * Drives the Debian `chromium` package through `playwright-core` (npm, via the import map); no
 * Playwright browser download is involved, so the binary must already be installed. Each
 * launch gets a fresh temporary profile, removed again on `close()`.
 *
 * Deno test sanitizers: none need turning off. Checked with Deno 2.9.6 and playwright-core
 * 1.65.1: tests that launch and close a browser, and even a browser shared across several
 * `Deno.test`s, pass with the default `sanitizeResources`, `sanitizeOps` and `sanitizeExit`.
 * The flip side is that the sanitizers do NOT notice a browser left open, so always close it,
 * preferably with `await using`. (A leaked Chromium exits once Deno does, because its
 * `--remote-debugging-pipe` closes, but its temporary profile stays behind in $TMPDIR.)
 *
 * Timing on the 2-core dev machine: launch ~0.4 s warm (~1.6 s on the very first run, while
 * the OS page cache is cold), `newPage()` plus a small page ~0.1 s, `close()` ~0.14 s. Launching
 * once per test is affordable; share a browser across `t.step`s when a file has many steps.
 *
 * @example
 * ```ts
 * await using browser = await launchBrowser();
 * const page = await browser.newPage();
 * await page.goto(url);
 * ```
 */
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";

export type { BrowserContext, Page };

/** Flags every browser test runs with; `--no-sandbox` is what makes Chromium start as root. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--autoplay-policy=no-user-gesture-required",
];

/** Options for {@linkcode launchBrowser}. */
export interface LaunchOptions {
  /** Chromium binary; defaults to `$CHROMIUM_PATH`, then `/usr/bin/chromium`. */
  executablePath?: string;
  /** Flags appended after {@linkcode CHROMIUM_ARGS}. */
  extraArgs?: string[];
  /** Defaults to true; set false only when debugging locally with a display. */
  headless?: boolean;
}

/** A running Chromium with its own throw-away profile. */
export interface TestBrowser extends AsyncDisposable {
  /** The underlying Playwright context, for permissions, routes or cookies. */
  readonly context: BrowserContext;
  /** The temporary profile directory, removed by `close()`. */
  readonly userDataDir: string;
  newPage(): Promise<Page>;
  /** Closes Chromium and removes the temporary profile; safe to call twice. */
  close(): Promise<void>;
}

/** Thrown when the Chromium binary is not installed where we look for it. */
export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(
      `Chromium not found at ${path}. Install it with \`apt-get install chromium\` ` +
        "or point CHROMIUM_PATH at a Chromium binary. Browser tests never skip.",
    );
    this.name = "ChromiumMissingError";
  }
}

/** Starts headless Chromium with the fake camera/microphone and a fresh temporary profile. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<TestBrowser> {
  const executablePath = options.executablePath ?? Deno.env.get("CHROMIUM_PATH") ??
    "/usr/bin/chromium";
  await assertExecutable(executablePath);

  // Playwright refuses `--user-data-dir` in `args`; a persistent context is its way to pick the
  // profile directory, and it is the only way to get a profile we can delete afterwards.
  const userDataDir = await Deno.makeTempDir({ prefix: "chalkcast-chromium-" });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: options.headless ?? true,
      args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    });
  } catch (err) {
    await removeDir(userDataDir);
    throw new Error(`Chromium at ${executablePath} failed to launch`, { cause: err });
  }

  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      try {
        await context.close();
      } finally {
        await removeDir(userDataDir);
      }
    })();

  return {
    context,
    userDataDir,
    newPage: () => context.newPage(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function assertExecutable(path: string): Promise<void> {
  try {
    const info = await Deno.stat(path);
    if (info.isFile) return;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  throw new ChromiumMissingError(path);
}

async function removeDir(path: string): Promise<void> {
  // Chromium's helper processes may still be flushing the profile for a moment after close.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await Deno.remove(path, { recursive: true });
      return;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

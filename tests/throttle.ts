/**
 * A viewer page on a slow link, for the low-bandwidth acceptance tests:
 * Chromium's own network emulation over CDP (`Network.emulateNetworkConditions`,
 * which throttles WebSockets too), changeable mid-run, and a sampler in the
 * page that notes every 100 ms what a student would see and hear (the voice
 * element's clock, the profile, the slide and its strokes). The summaries are
 * in tests/throttle_summary.ts.
 *
 * The sampler runs from the page's first script on every navigation (an init
 * script), so a reload under throttling is sampled from its start; its times
 * are the page's `performance.now()`.
 */
import type { CDPSession } from "playwright-core";
import type { Page } from "./browser.ts";
import type { ViewerSample } from "./throttle_summary.ts";

/** The round trip the measurements add to every throttled link. */
export const LATENCY_MS = 150;

/** Page-side state the sampler keeps on `globalThis`. */
interface Sampled {
  __viewerSamples?: ViewerSample[];
}

/** A page whose link speed a test sets over CDP, with the viewer sampler installed. */
export class ThrottledPage {
  readonly page: Page;
  readonly #cdp: CDPSession;

  private constructor(page: Page, cdp: CDPSession) {
    this.page = page;
    this.#cdp = cdp;
  }

  /** Takes over `page` (before its first navigation, so every page load is sampled). */
  static async of(page: Page): Promise<ThrottledPage> {
    await page.addInitScript(installSampler);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    return new ThrottledPage(page, cdp);
  }

  /**
   * The link from now on: `kbitps` down and up with {@linkcode LATENCY_MS} round trip,
   * or null for no emulation. Returns the page time just before it took effect (the page may
   * see it, e.g. as a `navigator.connection` change, before this call returns).
   */
  async setLink(kbitps: number | null): Promise<number> {
    const bytesPerSecond = kbitps === null ? -1 : (kbitps * 1000) / 8;
    const before = await this.now();
    await this.#cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: kbitps === null ? 0 : LATENCY_MS,
      downloadThroughput: bytesPerSecond,
      uploadThroughput: bytesPerSecond,
    });
    return before;
  }

  /** The page's clock, ms (the samples' time base). */
  now(): Promise<number> {
    return this.page.evaluate(() => performance.now());
  }

  /** Every sample since this page load began. */
  samples(): Promise<ViewerSample[]> {
    return this.page.evaluate(() => (globalThis as Sampled).__viewerSamples ?? []);
  }

  /** Waits until the samples reach page time `t` (ms); wall time passes, nothing is slept. */
  async sampledUntil(t: number, timeoutMs = t + 30_000): Promise<void> {
    await this.page.waitForFunction(
      (t) => ((globalThis as Sampled).__viewerSamples?.at(-1)?.t ?? 0) >= t,
      t,
      { timeout: timeoutMs, polling: 100 },
    );
  }
}

/**
 * Runs in the page (an init script): one sample every 100 ms from the first script on, into
 * `globalThis.__viewerSamples`. Self-contained, so any browser's init script can take it.
 */
export function installSampler(): void {
  const samples: ViewerSample[] = [];
  (globalThis as Sampled).__viewerSamples = samples;
  const sample = () => {
    const audio = document.querySelector<HTMLAudioElement>('audio[data-track="audio"]');
    const profile = document.querySelector<HTMLElement>('[data-testid="profile"]');
    const slide = document.querySelector<HTMLElement>('[data-testid="slide"]');
    const number = (v: string | undefined) => (v === undefined || v === "" ? null : Number(v));
    samples.push({
      t: performance.now(),
      audio: audio
        ? {
          currentTime: audio.currentTime,
          paused: audio.paused,
          readyState: audio.readyState,
          playbackRate: audio.playbackRate,
        }
        : null,
      profile: profile?.dataset.profile ?? null,
      slide: number(slide?.dataset.slideIndex),
      strokes: number(slide?.dataset.strokes),
    });
  };
  sample();
  setInterval(sample, 100);
}

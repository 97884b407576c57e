/**
 * The voice splice (`MsePlayer.splice`, docs/profiles.md "The small voice")
 * in Firefox ESR, whose Media Source Extensions differ from Chromium's: a
 * Firefox viewer of a Chromium presenter starts on the small voice
 * (`audio-low`), then goes over to `audio` mid-lesson, and the new encode's
 * init and media go into the same SourceBuffer of the same
 * `<audio data-track="audio">` element: its MediaSource stays, its clock
 * plays on with no gap (nor skip ahead) over the 500 ms at the switch, its buffer
 * stays one stretch around the playhead, and it has no error.
 *
 * Firefox has no `navigator.connection`; the page gets a stand-in whose
 * downlink the test sets, as Chromium's network emulation sets its own: 0.05
 * Mbit/s at the start takes the small voice (a start under 75 kbit/s), 10
 * Mbit/s later takes `audio` back at once (a rising hint). Everything else
 * is the product's own path: the policy, the `subscribe`, the splice.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "./browser.ts";
import { type FirefoxPage, launchFirefox } from "./firefox.ts";
import { goLive } from "./studio_page.ts";
import { startTestServer } from "./server.ts";
import { installSampler } from "./throttle.ts";
import {
  describeGaps,
  gaps,
  longestGap,
  longestSkip,
  type ViewerSample,
} from "./throttle_summary.ts";

/** The bound on a voice gap at a switch, ms. */
const SWITCH_GAP_MS = 500;

/** Runs in the page: a `navigator.connection` whose downlink `__setDownlink(mbps)` changes. */
function installConnection(): void {
  const connection = Object.assign(new EventTarget(), { downlink: 0.05 });
  Object.defineProperty(Navigator.prototype, "connection", {
    get: () => connection,
    configurable: true,
  });
  Object.assign(globalThis, {
    __setDownlink(mbps: number) {
      connection.downlink = mbps;
      connection.dispatchEvent(new Event("change"));
    },
  });
}

/** The voice element: its encode, MediaSource, clock, buffered ranges and error. */
function voiceState(page: FirefoxPage) {
  return page.evaluate(() => {
    const a = document.querySelector<HTMLAudioElement>('audio[data-track="audio"]')!;
    const ranges: [number, number][] = [];
    for (let i = 0; i < a.buffered.length; i++) {
      ranges.push([a.buffered.start(i), a.buffered.end(i)]);
    }
    return {
      voice: a.dataset.voice ?? null,
      src: a.src,
      currentTime: a.currentTime,
      ranges,
      error: a.error ? `${a.error.code} ${a.error.message}` : null,
      now: performance.now(),
    };
  });
}

/** Waits until the voice element is on `voice`. */
async function voiceBecomes(page: FirefoxPage, voice: string, timeout: number) {
  await page.waitForFunction(
    (voice: string) =>
      document.querySelector<HTMLElement>('audio[data-track="audio"]')?.dataset.voice === voice,
    { timeout, polling: 50 },
    voice,
  );
}

/** Waits until the voice's clock passes `t`. */
async function voicePasses(page: FirefoxPage, t: number) {
  await page.waitForFunction(
    (t: number) =>
      document.querySelector<HTMLAudioElement>('audio[data-track="audio"]')!.currentTime > t,
    { timeout: 20_000, polling: 100 },
    t,
  );
}

Deno.test("Firefox: the voice goes from audio-low to audio in the same element and plays on", async () => {
  const server = await startTestServer({ record: false });
  await using chromium = await launchBrowser();
  await using firefox = await launchFirefox();
  try {
    const studio = await chromium.newPage();
    const { viewerUrl } = await goLive(studio, server.origin);
    const page = await firefox.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.evaluateOnNewDocument(installConnection);
    await page.evaluateOnNewDocument(installSampler);
    await page.goto(viewerUrl);

    // The small voice from the first hello, playing.
    await voiceBecomes(page, "audio-low", 20_000);
    await voicePasses(page, 0);
    const first = await voiceState(page);
    await voicePasses(page, first.currentTime + 1);
    const before = await voiceState(page);

    // The link rises: the full voice, spliced in.
    await page.evaluate(() =>
      (globalThis as unknown as { __setDownlink(m: number): void })
        .__setDownlink(10)
    );
    await voiceBecomes(page, "audio", 5_000);
    const at = await voiceState(page);
    await voicePasses(page, at.currentTime + 2);
    const after = await voiceState(page);
    const samples = await page.evaluate(() =>
      (globalThis as unknown as { __viewerSamples: ViewerSample[] }).__viewerSamples
    );
    const atSwitch = { from: at.now - SWITCH_GAP_MS, to: after.now };
    console.log(
      `Firefox splice audio-low → audio at ${at.currentTime.toFixed(2)} s: played on to ${
        after.currentTime.toFixed(2)
      } s in ${((after.now - at.now) / 1000).toFixed(1)} s; buffered before ${
        JSON.stringify(before.ranges)
      }, after ${JSON.stringify(after.ranges)}; voice gaps: ${
        describeGaps(gaps(samples, atSwitch), 100)
      }, skipped ${longestSkip(samples, atSwitch).toFixed(0)} ms`,
    );
    assert.equal(after.voice, "audio");
    assert.equal(after.src, before.src, "the voice element kept its MediaSource (spliced)");
    assert.equal(after.error, null, "the voice element has no error");
    assert.deepEqual(errors, [], "no page errors");
    const gap = longestGap(samples, atSwitch);
    assert.ok(gap <= SWITCH_GAP_MS, `voice gap at the switch ${gap.toFixed(0)} ms`);
    const skip = longestSkip(samples, atSwitch);
    assert.ok(skip <= SWITCH_GAP_MS, `voice skipped at the switch: ${skip.toFixed(0)} ms`);
    // One stretch of buffer around the playhead, from before the switch on: the new encode
    // continues the old one's timeline instead of leaving holes or a second timeline.
    const holding = after.ranges.find(([s, e]) => s <= after.currentTime && after.currentTime <= e);
    assert.ok(
      holding && holding[0] <= at.currentTime,
      `one buffered stretch from before the switch to the playhead: ${JSON.stringify(after)}`,
    );
  } finally {
    await firefox.close();
    await chromium.close();
    await server.close();
  }
});

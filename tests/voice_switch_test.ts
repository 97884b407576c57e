/**
 * The voice's two encodes (docs/profiles.md "The small voice"), in Chromium
 * with its network emulation: a viewer on a fast link takes `audio`; when its
 * link falls to 24 kbit/s, which cannot carry that voice, it goes over to
 * `audio-low` by itself (the voice arrives late at ultra-low) and the voice
 * plays on in the same `<audio data-track="audio">` element and the same
 * MediaSource: the small encode is spliced in on the presenter's clock, not
 * started afresh. Figures are printed before the checks.
 */
import assert from "node:assert/strict";
import type { Page } from "./browser.ts";
import { openThrottledRoom } from "./throttled_room.ts";
import { describeGaps, gaps } from "./throttle_summary.ts";

/** The voice element's `data-voice`, `src` (its MediaSource) and clock. */
function voiceElement(page: Page) {
  return page.evaluate(() => {
    const a = document.querySelector<HTMLAudioElement>('audio[data-track="audio"]')!;
    return { voice: a.dataset.voice ?? null, src: a.src, currentTime: a.currentTime };
  });
}

Deno.test("voice switch: a link too slow for the voice takes audio-low, spliced into the same element", async () => {
  await using room = await openThrottledRoom({ record: false });
  const { viewerUrl, page, viewer } = room;
  await viewer.setLink(2_000);
  await page.goto(viewerUrl);
  await page.waitForFunction(
    () => document.querySelector<HTMLAudioElement>('audio[data-track="audio"]')!.currentTime > 1,
    null,
    { timeout: 30_000 },
  );
  const before = await voiceElement(page);

  const slowAt = await viewer.setLink(24);
  const switched = await page.waitForFunction(
    () =>
      document.querySelector<HTMLElement>('audio[data-track="audio"]')?.dataset.voice ===
        "audio-low",
    null,
    { timeout: 40_000, polling: 100 },
  ).then(() => viewer.now(), () => Infinity);
  const at = await voiceElement(page);
  const resumed = Number.isFinite(switched)
    ? await page.waitForFunction(
      (t) =>
        document.querySelector<HTMLAudioElement>('audio[data-track="audio"]')!.currentTime >
          t + 1,
      at.currentTime,
      { timeout: 30_000, polling: 100 },
    ).then(() => viewer.now(), () => Infinity)
    : Infinity;
  const after = await voiceElement(page);
  const samples = await viewer.samples();
  console.log(
    `24 kbit/s: audio-low after ${((switched - slowAt) / 1000).toFixed(1)} s; the voice played ` +
      `on ${((resumed - switched) / 1000).toFixed(1)} s after the switch (voice gaps: ${
        describeGaps(gaps(samples, { from: slowAt }))
      })`,
  );
  assert.equal(before.voice, "audio");
  assert.ok(Number.isFinite(switched), "the voice never went to audio-low");
  assert.ok(Number.isFinite(resumed), "the voice did not play on after the switch");
  assert.equal(after.voice, "audio-low");
  assert.equal(after.src, before.src, "the voice element kept its MediaSource (spliced)");
});

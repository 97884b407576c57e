/**
 * The viewer's profiles by hand, in Chromium against a live studio
 * (docs/profiles.md): `?profile=` starts in a profile, manual; `low` shows
 * the camera snapshot in the camera's place and slides + ink on the board;
 * `ultra-low` says "voice only"; picking `high` in the Quality menu brings
 * the camera video over a lane; `auto` hands back to the automatic choice.
 * Through every switch the voice element is the same one, fed by the same
 * stream (no re-init), and keeps playing.
 */
import assert from "node:assert/strict";
import type { Page } from "./browser.ts";
import { openLesson } from "./lesson_pages.ts";
import { STILL_AFTER_STEP_DOWN_MS } from "../lib/client/still_delay.ts";

/** The profile control's state. */
function control(page: Page): Promise<{ profile?: string; mode?: string; value: string }> {
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid="profile"]')!;
    return {
      profile: el.dataset.profile,
      mode: el.dataset.mode,
      value: el.querySelector("select")!.value,
    };
  });
}

/** The voice element's identity and clock: the same element, stream and a moving clock. */
function voice(page: Page): Promise<{ id: string; src: string; clock: string; t: number }> {
  return page.evaluate(() => {
    const a = document.querySelector<HTMLAudioElement>('audio[data-track="audio"]')!;
    (a as unknown as { __id?: string }).__id ??= crypto.randomUUID();
    return {
      id: (a as unknown as { __id: string }).__id,
      src: a.src,
      clock: a.getAttribute("data-clock-ms") ?? "",
      t: a.currentTime,
    };
  });
}

/** Waits until the voice's clock is `by` seconds past `from`. */
async function voicePlaysOn(page: Page, from: number, by = 1) {
  await page.waitForFunction(
    ([from, by]) =>
      document.querySelector<HTMLAudioElement>('audio[data-track="audio"]')!.currentTime >=
        from + by,
    [from, by],
    { timeout: 15_000 },
  );
}

Deno.test("viewer profiles: ?profile= starts manual; snapshot, voice only, camera video by hand; the voice never re-inits", async () => {
  await using lesson = await openLesson();
  const viewer = await lesson.page("viewer", `${lesson.viewerUrl}?profile=low`);
  await viewer.waitForSelector('[data-testid="unmute"]:not([disabled])');
  assert.deepEqual(await control(viewer), { profile: "low", mode: "manual", value: "low" });

  // low: the studio's camera snapshot (every 5 s) in the camera's place; slides + ink board.
  await viewer.waitForSelector('img[data-testid="camera-snapshot"]', { timeout: 15_000 });
  const still = await viewer.evaluate(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid="camera-snapshot"]')!;
    return new URL(img.src).pathname;
  });
  assert.match(still, /^\/api\/rooms\/[A-Za-z0-9_-]+\/camera-snapshot\.jpg$/);
  assert.equal(
    await viewer.getAttribute(".viewer", "data-board-view"),
    "slides",
    "below high the board is slides + ink",
  );
  assert.ok(await viewer.isHidden('video[data-track="camera"]'));
  const before = await voice(viewer);
  await voicePlaysOn(viewer, before.t);

  // ultra-low: voice only.
  await viewer.selectOption('[data-testid="profile"] select', "ultra-low");
  await viewer.waitForSelector('[data-testid="voice-only"]');
  assert.equal((await control(viewer)).profile, "ultra-low");

  // high by hand: the camera video plays (it comes over the lane).
  await viewer.selectOption('[data-testid="profile"] select', "high");
  assert.deepEqual(await control(viewer), { profile: "high", mode: "manual", value: "high" });
  await viewer.waitForFunction(
    () => {
      const v = document.querySelector<HTMLVideoElement>('video[data-track="camera"]')!;
      return !v.hidden && !v.paused && v.getVideoPlaybackQuality().totalVideoFrames > 5;
    },
    null,
    { timeout: 15_000 },
  );

  // Back to auto: the mode says so (a fast local link settles on high).
  await viewer.selectOption('[data-testid="profile"] select', "auto");
  await viewer.waitForFunction(
    () => document.querySelector<HTMLElement>('[data-testid="profile"]')?.dataset.mode === "auto",
  );
  // The voice through all of it: one element, one stream, still playing.
  const after = await voice(viewer);
  assert.equal(after.id, before.id);
  assert.equal(after.src, before.src, "the voice's MediaSource was never re-created");
  assert.equal(after.clock, before.clock);
  await voicePlaysOn(viewer, after.t);
  lesson.assertNoPageErrors();
});

Deno.test("viewer profiles: after a step down to low the camera still waits 4 s, so the voice goes first", async () => {
  await using lesson = await openLesson();
  const viewer = await lesson.page("viewer", `${lesson.viewerUrl}?profile=low`);
  await viewer.waitForSelector('img[data-testid="camera-snapshot"]', { timeout: 15_000 });
  await viewer.selectOption('[data-testid="profile"] select', "medium");
  await viewer.waitForSelector('img[data-testid="camera-snapshot"]', { state: "detached" });
  // From just before the pick on: when does the still come back?
  await viewer.evaluate(() => {
    const w = globalThis as unknown as { pickedAt: number; stillAt: number | null };
    w.pickedAt = performance.now();
    w.stillAt = null;
    new MutationObserver((_, observer) => {
      if (!document.querySelector('img[data-testid="camera-snapshot"]')) return;
      w.stillAt = performance.now();
      observer.disconnect();
    }).observe(document.body, { childList: true, subtree: true });
  });
  await viewer.selectOption('[data-testid="profile"] select', "low");
  assert.equal((await control(viewer)).profile, "low");
  await viewer.waitForSelector('img[data-testid="camera-snapshot"]', { timeout: 15_000 });
  const waited = await viewer.evaluate(() => {
    const w = globalThis as unknown as { pickedAt: number; stillAt: number | null };
    return w.stillAt === null ? null : w.stillAt - w.pickedAt;
  });
  assert.ok(
    waited !== null && waited >= STILL_AFTER_STEP_DOWN_MS,
    `the still came ${waited} ms after`,
  );
  lesson.assertNoPageErrors();
});

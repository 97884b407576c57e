/**
 * A presenter with a microphone and no camera, in Chromium: the studio
 * publishes the voice alone on the `audio` track (Opus at a speech bitrate,
 * and `audio-low`, its small second encode) beside the whiteboard, and a viewer plays the voice in its
 * `<audio data-track="audio">` element and the board in its video.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "./browser.ts";
import { startTestServer } from "./server.ts";

Deno.test("a mic-only presenter: the viewer plays the voice track and the whiteboard", async () => {
  const server = await startTestServer({ record: false });
  await using browser = await launchBrowser();
  try {
    const studio = await browser.newPage();
    await studio.addInitScript(() => {
      // This presenter has no camera: every request gets the microphone alone.
      const devices = navigator.mediaDevices;
      const open = devices.getUserMedia.bind(devices);
      devices.getUserMedia = (c) => c?.audio ? open({ audio: c.audio }) : open(c);
    });
    await studio.goto(`${server.origin}/studio`);
    const link = studio.locator('[data-testid="viewer-link"]');
    await link.waitFor();
    const viewerUrl = new URL((await link.getAttribute("href"))!, server.origin).href;
    const id = new URL(viewerUrl).pathname.split("/").pop()!;
    await studio.waitForFunction(() =>
      !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
    );
    await studio.click('[data-testid="go-live"]');
    await studio.waitForSelector('[data-testid="live-status"][data-status="live"]');

    const viewer = await browser.newPage();
    await viewer.goto(viewerUrl);
    await viewer.waitForSelector('.viewer[data-phase="live"]');
    const time = (track: string) =>
      viewer.evaluate(
        (t) => document.querySelector<HTMLMediaElement>(`[data-track="${t}"]`)!.currentTime,
        track,
      );
    for (const track of ["audio", "whiteboard"]) {
      const before = await time(track);
      await viewer.waitForFunction(
        ([t, b]) =>
          document.querySelector<HTMLMediaElement>(`[data-track="${t}"]`)!.currentTime > b + 1,
        [track, before] as const,
        { timeout: 15_000 },
      );
    }
    const room = await (await fetch(`${server.origin}/api/rooms/${id}`)).json();
    const tracks = Object.fromEntries(
      room.tracks.map((t: { name: string; mime: string }) => [t.name, t.mime]),
    );
    assert.deepEqual(Object.keys(tracks).sort(), ["audio", "audio-low", "whiteboard"]);
    assert.match(tracks.audio, /^audio\/webm; codecs="opus"$/);
    const voice = room.tracks.find((t: { name: string }) => t.name === "audio");
    assert.ok(voice.bitrate > 8_000 && voice.bitrate < 48_000, `voice at ${voice.bitrate} bit/s`);
  } finally {
    await browser.close();
    await server.close();
  }
});

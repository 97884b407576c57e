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
    type Detail = { name: string; mime: string; bitrate: number };
    const room = async (): Promise<{ tracks: Detail[] }> =>
      await (await fetch(`${server.origin}/api/rooms/${id}`)).json();
    const tracks = Object.fromEntries((await room()).tracks.map((t) => [t.name, t.mime]));
    assert.deepEqual(Object.keys(tracks).sort(), ["audio", "audio-low", "whiteboard"]);
    assert.match(tracks.audio, /^audio\/webm; codecs="opus"$/);
    // The server's meter counts bytes by arrival over 5 s: a busy browser that hands over a
    // backlog at once reads high for a moment. A speech bitrate (24 kbit/s) is in range once
    // the burst leaves the window; the default Opus rate (~128 kbit/s) never is.
    const seen: number[] = [];
    const until = Date.now() + 15_000;
    for (;;) {
      const voice = (await room()).tracks.find((t) => t.name === "audio")!;
      seen.push(voice.bitrate);
      if (voice.bitrate > 8_000 && voice.bitrate < 48_000) break;
      assert.ok(Date.now() < until, `voice at ${seen.join(", ")} bit/s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await browser.close();
    await server.close();
  }
});

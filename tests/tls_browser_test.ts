/**
 * TLS in Chromium, as a presenter on a second device meets it: the name
 * `lesson.test` maps to 127.0.0.1 (so it is not localhost, the one insecure
 * origin browsers still trust). Over http:// the studio cannot capture and
 * says why; over https:// with the server's generated certificate trusted
 * (pinned by its public key) it goes live and a viewer plays. And the
 * `studioUrl` of POST /api/rooms opens that room on a fresh device.
 */
import assert from "node:assert/strict";
import { launchBrowser, type Page } from "./browser.ts";
import { startTestServer } from "./server.ts";

const NAME = "lesson.test";

/** Polls `check` until it returns true or `ms` pass; fails with `what`. */
async function eventually(what: string, ms: number, check: () => Promise<boolean>) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out after ${ms} ms waiting until ${what}`);
}

function videoTime(page: Page, track: string) {
  return page.evaluate((track) => {
    const v = document.querySelector<HTMLVideoElement>(`video[data-track="${track}"]`);
    return v ? { time: v.currentTime, frames: v.getVideoPlaybackQuality().totalVideoFrames } : null;
  }, track);
}

Deno.test("http://NAME/studio explains why it cannot capture; https://NAME/studio with the generated certificate goes live and a viewer plays; studioUrl opens its room", async (t) => {
  const plain = await startTestServer({ host: "127.0.0.1" });
  const secure = await startTestServer({ host: "127.0.0.1", selfSigned: true });
  const spki = secure.tls!.spki;
  const rules = `--host-resolver-rules=MAP ${NAME} 127.0.0.1`;
  await using browser = await launchBrowser({
    extraArgs: [rules, `--ignore-certificate-errors-spki-list=${spki}`],
  });
  const errors: string[] = [];
  try {
    await t.step(
      "over http:// on a name other than localhost: no camera, and a notice says why",
      async () => {
        const page = await browser.newPage();
        page.on("pageerror", (e) => errors.push(`http studio: ${e.message}`));
        await page.goto(`http://${NAME}:${plain.port}/studio`);
        const notice = page.locator('[data-testid="insecure-notice"]');
        await notice.waitFor();
        const text = (await notice.textContent()) ?? "";
        assert.match(text, /not secure, so the browser will not give it the camera/);
        assert.match(text, /--self-signed/);
        assert.match(text, /localhost/);
        const capture = await page.evaluate(() => ({
          secure: isSecureContext,
          mediaDevices: typeof navigator.mediaDevices,
        }));
        assert.deepEqual(capture, { secure: false, mediaDevices: "undefined" });
        await page.close();
      },
    );

    let viewerUrl = "";
    await t.step("over https:// with the certificate trusted: the studio goes live", async () => {
      const studio = await browser.newPage();
      studio.on("pageerror", (e) => errors.push(`https studio: ${e.message}`));
      await studio.goto(`https://${NAME}:${secure.port}/studio`);
      assert.equal(await studio.evaluate(() => isSecureContext), true);
      const link = studio.locator('[data-testid="viewer-link"]');
      await link.waitFor();
      viewerUrl = (await link.getAttribute("href"))!;
      assert.match(viewerUrl, new RegExp(`^https://${NAME}:${secure.port}/s/[A-Za-z0-9_-]+$`));
      assert.equal(await studio.locator('[data-testid="insecure-notice"]').count(), 0);
      await studio.waitForFunction(() =>
        !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
      );
      await studio.click('[data-testid="go-live"]');
      await studio.waitForSelector('[data-testid="live-status"][data-status="live"]', {
        timeout: 15_000,
      });
      const id = viewerUrl.split("/").pop()!;
      await eventually(
        "the camera track is live on the server",
        15_000,
        () => Promise.resolve(secure.state.hub.get(id).track("camera")?.live === true),
      );
    });

    await t.step("a viewer on https:// (WSS) plays the camera", async () => {
      const viewer = await browser.newPage();
      viewer.on("pageerror", (e) => errors.push(`viewer: ${e.message}`));
      await viewer.goto(viewerUrl);
      await viewer.waitForSelector('.viewer[data-phase="live"]', { timeout: 15_000 });
      let before: { time: number; frames: number } | null = null;
      await eventually("the viewer's camera video exists", 10_000, async () => {
        before = await videoTime(viewer, "camera");
        return before !== null;
      });
      await eventually("the viewer's camera plays", 15_000, async () => {
        const now = await videoTime(viewer, "camera");
        return now !== null && now.time > before!.time + 0.5 && now.frames > before!.frames + 5;
      });
    });

    await t.step(
      "the studioUrl from POST /api/rooms opens that room on another device",
      async () => {
        const client = Deno.createHttpClient({ caCerts: [secure.tls!.cert] });
        let created: { id: string; key: string; studioUrl: string };
        try {
          const res = await fetch(`https://localhost:${secure.port}/api/rooms`, {
            method: "POST",
            body: JSON.stringify({ title: "Tablet room" }),
            client,
          } as RequestInit);
          assert.equal(res.status, 201);
          created = await res.json();
        } finally {
          client.close();
        }
        const url = created.studioUrl.replace(`//localhost:`, `//${NAME}:`);
        assert.equal(
          url,
          `https://${NAME}:${secure.port}/studio#room=${created.id}&key=${created.key}`,
        );
        // Another device: its own browser profile, nothing stored.
        await using tablet = await launchBrowser({
          extraArgs: [rules, `--ignore-certificate-errors-spki-list=${spki}`],
        });
        const page = await tablet.newPage();
        page.on("pageerror", (e) => errors.push(`tablet: ${e.message}`));
        await page.goto(url);
        await page.waitForSelector(`.studio[data-room="${created.id}"]`);
        const link = page.locator('[data-testid="viewer-link"]');
        await link.waitFor();
        assert.equal(
          await link.getAttribute("href"),
          `https://${NAME}:${secure.port}/s/${created.id}`,
        );
        assert.equal(await page.inputValue('[data-testid="room-title"]'), "Tablet room");
        const stored = await page.evaluate(() => ({
          room: JSON.parse(localStorage.getItem("chalkcast.studio.room") ?? "null"),
          hash: location.hash,
        }));
        assert.equal(stored.room?.id, created.id);
        assert.equal(stored.room?.key, created.key);
        assert.equal(stored.hash, "", "the key is taken out of the address bar");
        // A reload (no fragment any more) stays in the same room.
        await page.reload();
        await page.waitForSelector(`.studio[data-room="${created.id}"]`);
        assert.equal(secure.state.hub.size, 2, "no room was created by the tablet");
      },
    );
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await plain.close();
    await secure.close();
  }
});

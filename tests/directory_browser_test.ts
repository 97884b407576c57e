/**
 * The directory on `/` in Chromium: empty at first, then, without a reload,
 * a card for a room that goes live (title, viewers, live time, the studio's
 * thumbnail), its new title after a rename, and the empty state again when
 * the presenter stops.
 */
import assert from "node:assert/strict";
import { openPages } from "./lesson_pages.ts";

Deno.test("the directory lists a live room with its thumbnail and follows it without reload", async () => {
  await using pages = await openPages();
  const { server, browser } = pages;
  const directory = await pages.page("directory", server.origin);
  await directory.waitForSelector('[data-testid="directory-empty"]');
  let loads = 0;
  directory.on("load", () => loads++);

  const studio = await pages.page("studio", `${server.origin}/studio`);
  await studio.waitForFunction(() =>
    !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
  );
  await studio.fill('[data-testid="room-title"]', "Linear algebra");
  await studio.press('[data-testid="room-title"]', "Enter");
  await studio.click('[data-testid="go-live"]');
  await studio.waitForSelector('[data-testid="live-status"][data-status="live"]', {
    timeout: 15_000,
  });
  const roomId = await studio.locator(".studio").getAttribute("data-room");

  const card = directory.locator(`[data-testid="room-card"][data-room="${roomId}"]`);
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await card.locator('[data-testid="room-title"]').textContent(), "Linear algebra");
  assert.equal(await card.getAttribute("href"), `/s/${roomId}`);
  assert.match(
    (await card.locator('[data-testid="room-viewers"]').textContent())!,
    /^0 viewers$/,
  );
  assert.match(
    (await card.locator('[data-testid="room-live-for"]').textContent())!,
    /^live for /,
  );
  // The studio uploads a snapshot when it goes live and every ~5 s: the card shows it.
  await directory.waitForFunction(
    (id) => {
      const img = document.querySelector<HTMLImageElement>(
        `[data-testid="room-card"][data-room="${id}"] img`,
      );
      return img !== null && img.complete && img.naturalWidth === 480;
    },
    roomId,
    { timeout: 15_000 },
  );

  // A viewer joins and the presenter renames the room: the card follows.
  const viewer = await browser.newPage();
  await viewer.goto(`${server.origin}/s/${roomId}`);
  await studio.fill('[data-testid="room-title"]', "Linear algebra, week 2");
  await studio.press('[data-testid="room-title"]', "Enter");
  await card.locator('[data-testid="room-title"]:text-is("Linear algebra, week 2")').waitFor({
    timeout: 10_000,
  });
  await card.locator('[data-testid="room-viewers"]:text-is("1 viewer")').waitFor({
    timeout: 10_000,
  });
  // The viewer sees the rename too (the state message carries the title).
  await viewer.waitForSelector('.viewer-title:text-is("Linear algebra, week 2")');

  await studio.click('[data-testid="go-live"]'); // ■ Stop
  await directory.waitForSelector('[data-testid="directory-empty"]', { timeout: 10_000 });
  assert.equal(loads, 0, "the directory never reloaded");
  pages.assertNoPageErrors();
});

import assert from "node:assert/strict";
import { launchBrowser } from "./browser.ts";
import { startTestServer } from "./server.ts";

Deno.test("an island hydrates in Chromium: its control enables and a click changes the page", async () => {
  const server = await startTestServer();
  await using browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
    await page.goto(`${server.origin}/s/island-check`);
    const toggle = page.locator('[data-testid="layout-toggle"]');
    await toggle.waitFor();
    // Server-rendered controls stay disabled until the island has hydrated.
    await page.waitForFunction(() =>
      !document.querySelector<HTMLButtonElement>('[data-testid="layout-toggle"]')?.disabled
    );
    // Preact re-renders after the click event, not within it: wait for the layout to change
    // (Playwright's default 30 s: a harness wait, not a product bound; a busy CI may be slow).
    const layout = (name: string) => page.waitForSelector(`.viewer[data-layout="${name}"]`);
    await layout("side-by-side");
    await toggle.click();
    await layout("focus");
    await toggle.click();
    await layout("side-by-side");
    assert.deepEqual(errors.filter((e) => /Content Security Policy|hydrat/i.test(e)), []);
  } finally {
    await server.close();
  }
});

import assert from "node:assert/strict";
import { openPages, type TestPages } from "./lesson_pages.ts";

Deno.test("openPages: a page's uncaught error is kept under its label; a test that throws still closes the browser and the server", async () => {
  let pages: TestPages | undefined;
  await assert.rejects(async () => {
    await using opened = await openPages();
    pages = opened;
    const page = await opened.page("probe", opened.server.origin);
    opened.assertNoPageErrors();
    const thrown = page.waitForEvent("pageerror");
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error("boom");
      });
    });
    await thrown;
    assert.deepEqual(opened.errors, ["probe: boom"]);
    assert.throws(() => opened.assertNoPageErrors(), /probe: boom/);
    throw new Error("the test failed");
  }, /the test failed/);
  await assert.rejects(Deno.stat(pages!.browser.userDataDir), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(pages!.server.state.config.dataDir), Deno.errors.NotFound);
});

import assert from "node:assert/strict";
import { ChromiumMissingError, launchBrowser } from "./browser.ts";

const PAGE = `<!doctype html>
<meta charset="utf-8">
<button id="go">go</button>
<p id="out">idle</p>
<script>
  document.getElementById("go").onclick = () => {
    document.getElementById("out").textContent = "clicked";
  };
</script>`;

Deno.test({
  name: "launchBrowser() opens a served page and a click changes the DOM",
  async fn() {
    await using server = serveHtml(PAGE);
    await using browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.addr.port}/`);
    assert.equal(await page.textContent("#out"), "idle");
    await page.click("#go");
    assert.equal(await page.textContent("#out"), "clicked");
  },
});

Deno.test({
  name: "launchBrowser() gives pages the fake camera and microphone without a prompt",
  async fn() {
    // getUserMedia needs a secure context; http://127.0.0.1 counts, about:blank and data: do not.
    await using server = serveHtml("<!doctype html><title>media</title>");
    await using browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.addr.port}/`);
    const kinds = await page.evaluate(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      const kinds = stream.getTracks().map((t) => t.kind).sort();
      stream.getTracks().forEach((t) => t.stop());
      return kinds;
    });
    assert.deepEqual(kinds, ["audio", "video"]);
  },
});

Deno.test({
  name: "launchBrowser() removes its temporary profile on close",
  async fn() {
    const browser = await launchBrowser();
    assert.ok((await Deno.stat(browser.userDataDir)).isDirectory);
    await browser.close();
    await browser.close();
    await assert.rejects(Deno.stat(browser.userDataDir), Deno.errors.NotFound);
  },
});

Deno.test("launchBrowser() throws a clear error when Chromium is missing", async () => {
  let caught: unknown;
  try {
    await launchBrowser({ executablePath: "/nonexistent/chromium" });
  } catch (err) {
    caught = err;
  }
  assert(caught instanceof ChromiumMissingError, "expected ChromiumMissingError");
  assert(caught.message.includes("apt-get install chromium"), caught.message);
});

function serveHtml(html: string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } }),
  );
}

import assert from "node:assert/strict";
import { islandScripts, startTestServer } from "./server.ts";

Deno.test("server answers pages, island bundles and a styled 404 over real sockets", async (t) => {
  const server = await startTestServer();
  const get = (path: string, init?: RequestInit) => fetch(server.origin + path, init);
  try {
    await t.step("/ is the directory with its empty state", async () => {
      const res = await get("/");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
      const html = await res.text();
      assert.match(html, /^<!DOCTYPE html>/);
      assert.match(html, /Live rooms/);
    });

    await t.step("/studio and /s/abc load their islands, with security headers", async () => {
      for (const [path, island] of [["/studio", "Studio"], ["/s/abc", "Viewer"]]) {
        const res = await get(path);
        assert.equal(res.status, 200, path);
        const csp = res.headers.get("content-security-policy") ?? "";
        assert.match(csp, /script-src 'self'(;|$)/);
        assert.equal(res.headers.get("x-content-type-options"), "nosniff");
        assert.ok(res.headers.get("referrer-policy"));
        const html = await res.text();
        assert.match(html, new RegExp(`<chalk-island data-island="${island}"`));
        const scripts = islandScripts(html);
        assert.equal(scripts.length, 1, `${path} loads exactly its island`);
        assert.match(scripts[0], new RegExp(`^/_chalk/island-${island}-[A-Z0-9]+\\.js$`));
        assert.doesNotMatch(html, /<script>/, "no inline scripts");
      }
    });

    await t.step(
      "an island bundle is JavaScript, hashed, immutable, with ETag and 304",
      async () => {
        const html = await (await get("/studio")).text();
        const [src] = islandScripts(html);
        const res = await get(src);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8");
        assert.match(res.headers.get("cache-control") ?? "", /immutable/);
        const etag = res.headers.get("etag");
        assert.ok(etag);
        assert.match(await res.text(), /hydrate|import/);
        const again = await get(src, { headers: { "if-none-match": etag } });
        assert.equal(again.status, 304);
        await again.body?.cancel();
      },
    );

    await t.step("static files revalidate under their plain name", async () => {
      const res = await get("/styles.css");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "text/css; charset=utf-8");
      assert.equal(res.headers.get("cache-control"), "no-cache");
      assert.match(await res.text(), /--accent/);
    });

    await t.step("a missing page gets the styled 404 page", async () => {
      const res = await get("/no/such/page");
      assert.equal(res.status, 404);
      const html = await res.text();
      assert.match(html, /data-testid="not-found"/);
      assert.match(html, /\/no\/such\/page/);
    });

    await t.step("a wrong method gets 405 with Allow", async () => {
      const res = await get("/studio", { method: "DELETE" });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get("allow"), "GET, HEAD");
      await res.body?.cancel();
    });

    await t.step("HEAD answers without a body", async () => {
      const res = await get("/studio", { method: "HEAD" });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "");
    });
  } finally {
    await server.close();
  }
});

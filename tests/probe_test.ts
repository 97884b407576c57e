/**
 * `GET /api/probe?bytes=N` over real HTTP: N random (incompressible) bytes,
 * never cached; a bad N is a 400 JSON error saying what to send; each client
 * has its own allowance per minute (loopback exempt).
 */
import assert from "node:assert/strict";
import { DEFAULTS } from "../lib/config.ts";
import { DEFAULT_PROBE_BYTES, MAX_PROBE_BYTES } from "../lib/api/probe.ts";
import { startTestServer } from "./server.ts";

async function gzipSize(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

Deno.test("the probe answers N incompressible bytes, no-store; a bad N is a 400 saying what to send", async () => {
  const server = await startTestServer({ record: false });
  try {
    for (
      const [query, size] of [["", DEFAULT_PROBE_BYTES], ["?bytes=1", 1], [
        `?bytes=${MAX_PROBE_BYTES}`,
        MAX_PROBE_BYTES,
      ]] as const
    ) {
      const res = await fetch(`${server.origin}/api/probe${query}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/octet-stream");
      assert.equal(res.headers.get("cache-control"), "no-store");
      const body = new Uint8Array(await res.arrayBuffer());
      assert.equal(body.byteLength, size);
      if (size > 1000) assert.ok(await gzipSize(body) >= size, "random bytes do not compress");
    }
    for (const bad of ["0", "262145", "abc", "-1", "1.5", "", "1e3"]) {
      const res = await fetch(`${server.origin}/api/probe?bytes=${bad}`);
      assert.equal(res.status, 400, bad);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      const body = await res.json();
      assert.equal(body.code, "bad-request");
      assert.match(body.error, /"bytes" must be a whole number from 1 to 262144/);
    }
  } finally {
    await server.close();
  }
});

Deno.test("probes are limited per client; this machine is not", async () => {
  const server = await startTestServer({
    record: false,
    trustProxy: true,
    limits: { ...DEFAULTS.limits, probesPerMinute: 2 },
  });
  const probe = (headers: Record<string, string>) =>
    fetch(`${server.origin}/api/probe?bytes=16`, { headers });
  try {
    const client = { "x-forwarded-for": "203.0.113.1" };
    for (let i = 0; i < 2; i++) {
      const ok = await probe(client);
      assert.equal(ok.status, 200);
      await ok.body?.cancel();
    }
    const refused = await probe(client);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    assert.match((await refused.json()).error, /^too many bandwidth probes from your address/);
    const other = await probe({ "x-forwarded-for": "203.0.113.2" });
    assert.equal(other.status, 200);
    await other.body?.cancel();
    for (let i = 0; i < 3; i++) {
      const local = await probe({});
      assert.equal(local.status, 200);
      await local.body?.cancel();
    }
  } finally {
    await server.close();
  }
});

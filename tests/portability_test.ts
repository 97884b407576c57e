/**
 * Single-binary readiness: the server bundled into one file runs from an
 * empty directory and serves the studio with its island bundle, so it reads
 * no project file at run time.
 */
import assert from "node:assert/strict";
import { islandScripts } from "./server.ts";

const root = new URL("..", import.meta.url).pathname;

async function readUntil(reader: ReadableStreamDefaultReader<string>, pattern: RegExp) {
  let seen = "";
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
    const m = seen.match(pattern);
    if (m) return m;
  }
  throw new Error(`server did not print ${pattern}; it printed: ${seen}`);
}

Deno.test("a `deno bundle`d server runs from an empty directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalkcast-bundle-" });
  try {
    const bundle = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform", "deno", "-o", `${dir}/server.js`, "main.ts"],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(bundle.code, 0, new TextDecoder().decode(bundle.stderr));
    const files = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(files, ["server.js"]);

    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read=.",
        "--allow-write=.",
        "server.js",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    try {
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      const [, origin] = await readUntil(reader, /studio (http:\/\/[^\s]+)\/studio/);
      await reader.cancel();
      const res = await fetch(`${origin}/studio`);
      assert.equal(res.status, 200);
      const [src] = islandScripts(await res.text());
      assert.ok(src, "the studio page loads an island script");
      const js = await fetch(origin + src);
      assert.equal(js.status, 200);
      assert.match(js.headers.get("content-type") ?? "", /javascript/);
      await js.body?.cancel();
    } finally {
      child.kill();
      await child.status;
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

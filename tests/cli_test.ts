/**
 * The command line: a bad flag or a busy port is one line on stderr and exit
 * code 2, never a stack trace; --help and --version answer and exit 0.
 */
import assert from "node:assert/strict";

const main = new URL("../main.ts", import.meta.url).pathname;

async function run(...args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-write", main, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();
  return { code, stdout: text(stdout), stderr: text(stderr) };
}

Deno.test("a bad flag prints one line and exits with 2", async () => {
  const unknown = await run("--bogus");
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr.split("\n").length, 1, unknown.stderr);
  assert.match(unknown.stderr, /^chalkcast: .*--bogus.*\(see --help\)$/);
  const badPort = await run("--port", "99999");
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /^chalkcast: --port must be a whole number from 0 to 65535/);
});

Deno.test("a busy port prints one line and exits with 2", async () => {
  const holder = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const { port } = holder.addr as Deno.NetAddr;
    const busy = await run("--host", "127.0.0.1", "--port", String(port));
    assert.equal(busy.code, 2);
    assert.equal(busy.stderr.split("\n").length, 1, busy.stderr);
    assert.match(busy.stderr, /^chalkcast: port is already in use.*--port/);
  } finally {
    holder.close();
  }
});

Deno.test("--help and --version answer and exit 0", async () => {
  const help = await run("--help");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--data-dir DIR/);
  const version = await run("--version");
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^chalkcast \d+\.\d+\.\d+$/);
});

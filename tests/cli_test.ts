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

Deno.test("a missing --cert file is one line naming it, exit 2", async () => {
  const missing = await run("--cert", "/nonexistent/cert.pem", "--key", "/nonexistent/key.pem");
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.split("\n").length, 1, missing.stderr);
  assert.match(missing.stderr, /^chalkcast: --cert \/nonexistent\/cert\.pem: cannot read it/);
});

Deno.test("--self-signed logs the certificate's fingerprint and prints https:// origins", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chalkcast-cli-tls-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "--allow-sys=hostname,networkInterfaces",
      main,
      "--self-signed",
      "--port",
      "0",
      "--data-dir",
      dataDir,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!/listening: .*\n/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    reader.releaseLock();
    assert.match(
      seen,
      /info TLS certificate generated \(.*self-signed\.crt\); SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}\n/,
    );
    assert.match(
      seen,
      /listening: studio https:\/\/localhost:\d+\/studio, directory https:\/\/localhost:\d+\//,
    );
    const lan = Deno.networkInterfaces().filter((n) =>
      n.family === "IPv4" && !n.address.startsWith("127.")
    );
    for (const nic of lan) assert.match(seen, new RegExp(`https://${nic.address}:\\d+`));
    if (lan.length === 0) assert.doesNotMatch(seen, /from other devices/);
  } finally {
    child.kill();
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await Deno.remove(dataDir, { recursive: true });
  }
});

/**
 * deploy/chalkcast.service is what README "Running as a service" says: a
 * dedicated user, the data dir as the one writable path (and the server's
 * data dir), restart on failure, and the hardening options. Read as systemd
 * would: key=value lines in sections.
 */
import assert from "node:assert/strict";

function parseUnit(text: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = line.match(/^\[(\w+)\]$/);
    if (header) {
      section = header[1];
      continue;
    }
    const i = line.indexOf("=");
    assert.ok(i > 0, `not key=value: ${line}`);
    const key = `${section}.${line.slice(0, i)}`;
    entries.set(key, [...(entries.get(key) ?? []), line.slice(i + 1)]);
  }
  return entries;
}

Deno.test("deploy/chalkcast.service runs hardened as its own user, writes only its data dir, restarts on failure", async () => {
  const unit = parseUnit(
    await Deno.readTextFile(new URL("../deploy/chalkcast.service", import.meta.url)),
  );
  const one = (key: string) => {
    const values = unit.get(key);
    assert.ok(values?.length === 1, `${key} is set once: ${values}`);
    return values[0];
  };
  assert.equal(one("Service.Restart"), "on-failure");
  assert.equal(one("Service.User"), "chalkcast");
  assert.equal(one("Service.StateDirectory"), "chalkcast");
  const dataDir = "/var/lib/chalkcast";
  assert.equal(one("Service.ReadWritePaths"), dataDir);
  assert.ok(unit.get("Service.Environment")!.includes(`CHALKCAST_DATA_DIR=${dataDir}`));
  for (
    const [key, value] of [
      ["NoNewPrivileges", "yes"],
      ["ProtectSystem", "strict"],
      ["PrivateTmp", "yes"],
      ["ProtectHome", "yes"],
      ["PrivateDevices", "yes"],
    ]
  ) {
    assert.equal(one(`Service.${key}`), value, key);
  }
  assert.equal(one("Service.ExecStart"), "/usr/local/bin/chalkcast");
  assert.equal(one("Install.WantedBy"), "multi-user.target");
  // The JIT needs writable executable memory: this option would kill the server at start.
  assert.equal(unit.has("Service.MemoryDenyWriteExecute"), false);
});

import assert from "node:assert/strict";
import { ConfigError, DEFAULTS, parseConfig } from "./config.ts";

Deno.test("parseConfig() uses defaults", () => {
  assert.deepEqual(parseConfig([]), { kind: "run", config: DEFAULTS });
});

Deno.test("parseConfig() reads flags, and flags win over environment", () => {
  const parsed = parseConfig(["--port", "9000", "--data-dir", "/tmp/x"], {
    CHALKCAST_PORT: "7000",
    CHALKCAST_MAX_ROOMS: "5",
  });
  assert.equal(parsed.kind, "run");
  if (parsed.kind !== "run") return;
  assert.equal(parsed.config.port, 9000);
  assert.equal(parsed.config.dataDir, "/tmp/x");
  assert.equal(parsed.config.maxRooms, 5);
});

Deno.test("parseConfig() answers --help and --version", () => {
  assert.deepEqual(parseConfig(["--help"]), { kind: "help" });
  assert.deepEqual(parseConfig(["-V"]), { kind: "version" });
});

Deno.test("parseConfig() rejects unknown flags and bad numbers with a ConfigError", () => {
  assert.throws(() => parseConfig(["--bogus"]), ConfigError);
  assert.throws(
    () => parseConfig(["--port", "70000"]),
    /--port must be a whole number from 0 to 65535/,
  );
  assert.throws(() => parseConfig(["--port", "abc"]), ConfigError);
  assert.throws(() => parseConfig([], { CHALKCAST_MAX_VIEWERS: "0" }), /--max-viewers/);
});

Deno.test("parseConfig() reads the recording options from flags and environment", () => {
  const parsed = parseConfig(["--keep-days", "7", "--max-recordings-gb", "2.5"], {
    CHALKCAST_NO_RECORD: "1",
  });
  assert.equal(parsed.kind, "run");
  if (parsed.kind !== "run") return;
  assert.equal(parsed.config.record, false);
  assert.equal(parsed.config.keepDays, 7);
  assert.equal(parsed.config.maxRecordingsGb, 2.5);
  const flag = parseConfig(["--no-record"]);
  assert.equal(flag.kind === "run" && flag.config.record, false);
  assert.throws(() => parseConfig(["--max-recordings-gb", "lots"]), /--max-recordings-gb must be/);
  assert.throws(() => parseConfig(["--keep-days=1.5"]), /--keep-days must be a whole number/);
});

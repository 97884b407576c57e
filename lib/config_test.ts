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

Deno.test("parseConfig() reads the security flags and their environment equivalents", () => {
  const parsed = parseConfig([
    "--cert",
    "c.pem",
    "--key",
    "k.pem",
    "--allowed-origins",
    "https://school.example, http://10.0.0.2:8080/",
    "--trust-proxy",
    "--admin-token",
    "0123456789abcdef",
  ]);
  assert.equal(parsed.kind, "run");
  if (parsed.kind !== "run") return;
  assert.equal(parsed.config.certFile, "c.pem");
  assert.equal(parsed.config.keyFile, "k.pem");
  assert.deepEqual(parsed.config.allowedOrigins, [
    "https://school.example",
    "http://10.0.0.2:8080",
  ]);
  assert.equal(parsed.config.trustProxy, true);
  assert.equal(parsed.config.adminToken, "0123456789abcdef");
  const env = parseConfig([], {
    CHALKCAST_SELF_SIGNED: "1",
    CHALKCAST_TRUST_PROXY: "true",
    CHALKCAST_ADMIN_TOKEN: "fedcba9876543210",
    CHALKCAST_ALLOWED_ORIGINS: "https://a.example",
  });
  assert.equal(env.kind, "run");
  if (env.kind !== "run") return;
  assert.equal(env.config.selfSigned, true);
  assert.equal(env.config.trustProxy, true);
  assert.equal(env.config.adminToken, "fedcba9876543210");
  assert.deepEqual(env.config.allowedOrigins, ["https://a.example"]);
});

Deno.test("parseConfig() refuses inconsistent TLS flags, non-origins and short admin tokens", () => {
  assert.throws(() => parseConfig(["--cert", "c.pem"]), /--cert and --key go together/);
  assert.throws(
    () => parseConfig(["--self-signed", "--cert", "c", "--key", "k"]),
    /--self-signed and --cert exclude each other/,
  );
  assert.throws(
    () => parseConfig(["--allowed-origins", "https://a.example/path"]),
    /"https:\/\/a.example\/path" is not an origin/,
  );
  assert.throws(() => parseConfig(["--allowed-origins", "school.example"]), /not an origin/);
  assert.throws(() => parseConfig(["--admin-token", "short"]), /at least 16 characters/);
  assert.throws(() => parseConfig([], { CHALKCAST_SELF_SIGNED: "maybe" }), /must be 1 or 0/);
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

Deno.test("parseConfig() reads --max-memory-mb and CHALKCAST_MAX_MEMORY_MB (default 512)", () => {
  assert.equal(DEFAULTS.maxMemoryMb, 512);
  const flag = parseConfig(["--max-memory-mb", "64"], { CHALKCAST_MAX_MEMORY_MB: "128" });
  assert.equal(flag.kind === "run" && flag.config.maxMemoryMb, 64);
  const env = parseConfig([], { CHALKCAST_MAX_MEMORY_MB: "128" });
  assert.equal(env.kind === "run" && env.config.maxMemoryMb, 128);
  assert.throws(() => parseConfig(["--max-memory-mb", "8"]), /--max-memory-mb must be/);
});

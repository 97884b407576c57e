import assert from "node:assert/strict";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { covers, generateSelfSigned, loadOrCreateSelfSigned } from "./self_signed.ts";
import { pemFingerprint, readPemPair, spkiSha256 } from "./certificate.ts";

const NAMES = { dns: ["localhost", "lesson.test"], ips: ["127.0.0.1", "192.0.2.7", "::1"] };

Deno.test("generateSelfSigned() makes a v3 server certificate naming every host and address", async () => {
  const now = new Date("2026-03-01T00:00:00Z");
  const { cert, key } = await generateSelfSigned(NAMES, now);
  assert.match(key, /^-----BEGIN PRIVATE KEY-----/);
  const parsed = new x509.X509Certificate(cert);
  const san = parsed.getExtension(x509.SubjectAlternativeNameExtension)!;
  assert.deepEqual(
    san.names.items.map((n) => `${n.type}:${n.value}`).sort(),
    ["dns:lesson.test", "dns:localhost", "ip:127.0.0.1", "ip:192.0.2.7", "ip:::1"].sort(),
  );
  const bc = parsed.getExtension(x509.BasicConstraintsExtension)!;
  assert.equal(bc.ca, false);
  const eku = parsed.getExtension(x509.ExtendedKeyUsageExtension)!;
  assert.deepEqual([...eku.usages], [x509.ExtendedKeyUsage.serverAuth]);
  assert.ok(await parsed.verify({ date: now }), "self-signature verifies");
  assert.ok(parsed.notAfter.getTime() - now.getTime() <= 398 * 24 * 3600 * 1000);
  assert.equal(covers(cert, NAMES, now), true);
  assert.equal(covers(cert, NAMES, new Date("2027-03-20T00:00:00Z")), true);
  assert.equal(covers(cert, { ...NAMES, ips: [...NAMES.ips, "198.51.100.1"] }, now), false);
  assert.equal(
    covers(cert, NAMES, new Date("2027-03-28T00:00:00Z")),
    false,
    "a week before expiry",
  );
});

Deno.test("loadOrCreateSelfSigned() keeps the certificate in the directory and reuses it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalkcast-tls-" });
  try {
    const first = await loadOrCreateSelfSigned(`${dir}/tls`, NAMES);
    assert.equal(first.created, true);
    assert.equal((await Deno.stat(`${dir}/tls/self-signed.key`)).mode! & 0o777, 0o600);
    assert.match(first.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const again = await loadOrCreateSelfSigned(`${dir}/tls`, NAMES);
    assert.equal(again.created, false);
    assert.equal(again.fingerprint, first.fingerprint);
    // A new address on this machine (another network): a new certificate that names it.
    const moved = await loadOrCreateSelfSigned(`${dir}/tls`, { ...NAMES, ips: ["10.1.2.3"] });
    assert.equal(moved.created, true);
    assert.notEqual(moved.fingerprint, first.fingerprint);
    const pair = await readPemPair(`${dir}/tls/self-signed.crt`, `${dir}/tls/self-signed.key`);
    assert.equal(await pemFingerprint(pair.cert), moved.fingerprint);
    assert.match(await spkiSha256(pair.cert), /^[A-Za-z0-9+/]{43}=$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readPemPair() names the file that is missing or not PEM", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalkcast-tls-" });
  try {
    await Deno.writeTextFile(`${dir}/bad.pem`, "hello");
    await assert.rejects(
      readPemPair(`${dir}/none.pem`, `${dir}/bad.pem`),
      /--cert .*none\.pem: cannot read it/,
    );
    await Deno.writeTextFile(
      `${dir}/c.pem`,
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    await assert.rejects(
      readPemPair(`${dir}/c.pem`, `${dir}/bad.pem`),
      /--key .*bad\.pem: not a PEM file/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

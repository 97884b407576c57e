/**
 * `--self-signed`: a certificate made here with WebCrypto (no OpenSSL at run
 * time), so a presenter's tablet can open the studio over HTTPS, the only way
 * a browser gives a non-localhost page the camera. Kept in the data dir and
 * reused on restart, so a teacher trusts it once; made anew only when it
 * expires or no longer names every address of this machine (a laptop moved
 * to another network).
 */
import "reflect-metadata"; // @peculiar/x509 (via tsyringe) needs the polyfill loaded first
import * as x509 from "@peculiar/x509";
import { pemFingerprint, type PemPair } from "./certificate.ts";

/** Days a generated certificate is valid: under the 398 days browsers accept for any leaf. */
const VALID_DAYS = 397;
/** Regenerate this long before expiry rather than fail mid-lesson. */
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

const ALGORITHM: EcKeyGenParams & EcdsaParams = {
  name: "ECDSA",
  namedCurve: "P-256",
  hash: "SHA-256",
};

/** The names a certificate for this machine must carry. */
export interface HostNames {
  dns: string[];
  ips: string[];
}

/**
 * `localhost`, the host name and every interface address. Needs
 * `--allow-sys=hostname,networkInterfaces`; without it, only the loopback
 * names (and `warn` says so).
 */
export function localNames(warn: (message: string) => void = () => {}): HostNames {
  const dns = new Set(["localhost"]);
  const ips = new Set(["127.0.0.1", "::1"]);
  try {
    const host = Deno.hostname();
    if (/^[A-Za-z0-9.-]+$/.test(host)) {
      dns.add(host);
      if (!host.includes(".")) dns.add(`${host}.local`); // mDNS name on most LANs
    }
    for (const nic of Deno.networkInterfaces()) ips.add(nic.address.replace(/%.*$/, ""));
  } catch (err) {
    if (!(err instanceof Deno.errors.PermissionDenied || err instanceof Deno.errors.NotCapable)) {
      throw err;
    }
    warn(
      "--self-signed: no permission to read the host name and addresses (--allow-sys); " +
        "the certificate names localhost only",
    );
  }
  return { dns: [...dns].sort(), ips: [...ips].sort() };
}

/** Makes a new key pair and a v3 server certificate for `names`, as PEM. */
export async function generateSelfSigned(names: HostNames, now = new Date()): Promise<PemPair> {
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const serial = new Uint8Array(16);
  crypto.getRandomValues(serial);
  serial[0] &= 0x7f; // a positive INTEGER
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: [...serial].map((b) => b.toString(16).padStart(2, "0")).join(""),
    name: `CN=Chalkcast on ${names.dns.find((n) => n !== "localhost") ?? "localhost"}`,
    notBefore: new Date(now.getTime() - 60_000), // a client clock a little behind still accepts it
    notAfter: new Date(now.getTime() + VALID_DAYS * 24 * 3600 * 1000),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: "dns" as const, value })),
        ...names.ips.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    cert: cert.toString("pem") + "\n",
    key: x509.PemConverter.encode(pkcs8, "PRIVATE KEY") + "\n",
  };
}

/** True when `certPem` is valid for a while yet and names every one of `names`. */
export function covers(certPem: string, names: HostNames, now = new Date()): boolean {
  const cert = new x509.X509Certificate(certPem);
  if (cert.notAfter.getTime() - RENEW_BEFORE_MS < now.getTime()) return false;
  if (cert.notBefore.getTime() > now.getTime()) return false;
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  if (!san) return false;
  const held = new Set(san.names.items.map((n) => `${n.type}:${normalizeIp(n.type, n.value)}`));
  return names.dns.every((d) => held.has(`dns:${d}`)) &&
    names.ips.every((ip) => held.has(`ip:${normalizeIp("ip", ip)}`));
}

function normalizeIp(type: string, value: string): string {
  if (type !== "ip" || !value.includes(":")) return value;
  // x509 prints IPv6 in full; compare canonical forms.
  return new URL(`http://[${value}]/`).hostname;
}

export interface SelfSignedResult extends PemPair {
  /** SHA-256 of the certificate, colon-separated hex, as browsers show it. */
  fingerprint: string;
  /** True when this start made it (false: reused from the data dir). */
  created: boolean;
}

/**
 * The certificate in `dir` (self-signed.crt / self-signed.key) when it still
 * covers `names`, else a new one written there (key readable by the owner only).
 */
export async function loadOrCreateSelfSigned(
  dir: string,
  names: HostNames,
  now = new Date(),
): Promise<SelfSignedResult> {
  const certPath = `${dir}/self-signed.crt`;
  const keyPath = `${dir}/self-signed.key`;
  try {
    const [cert, key] = await Promise.all([
      Deno.readTextFile(certPath),
      Deno.readTextFile(keyPath),
    ]);
    if (covers(cert, names, now)) {
      return { cert, key, fingerprint: await pemFingerprint(cert), created: false };
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const pair = await generateSelfSigned(names, now);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(keyPath, pair.key, { mode: 0o600 });
  await Deno.writeTextFile(certPath, pair.cert);
  return { ...pair, fingerprint: await pemFingerprint(pair.cert), created: true };
}

/**
 * PEM certificates for `--cert/--key`: read, sanity-check (so a wrong file is
 * a one-line error at start, not a failed handshake later), fingerprint.
 */
import "reflect-metadata"; // @peculiar/x509 (via tsyringe) needs the polyfill loaded first
import * as x509 from "@peculiar/x509";
import { ConfigError } from "../config.ts";

/** What Deno.serve takes for TLS. */
export interface PemPair {
  cert: string;
  key: string;
}

/** Reads `--cert` and `--key`; ConfigError naming the file when one is missing or not PEM. */
export async function readPemPair(certFile: string, keyFile: string): Promise<PemPair> {
  const read = async (file: string, flag: string, label: RegExp) => {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (err) {
      throw new ConfigError(`${flag} ${file}: cannot read it (${(err as Error).message})`);
    }
    if (!label.test(text)) {
      throw new ConfigError(`${flag} ${file}: not a PEM file (expected ${label.source})`);
    }
    return text;
  };
  const cert = await read(certFile, "--cert", /-----BEGIN CERTIFICATE-----/);
  const key = await read(keyFile, "--key", /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/);
  try {
    new x509.X509Certificate(cert);
  } catch (err) {
    throw new ConfigError(
      `--cert ${certFile}: not a valid certificate (${(err as Error).message})`,
    );
  }
  return { cert, key };
}

/** SHA-256 of the (first) certificate in `pem`, as "AB:CD:…" the way browsers show it. */
export async function pemFingerprint(pem: string): Promise<string> {
  const cert = new x509.X509Certificate(pem);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", cert.rawData));
  return [...digest].map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

/** Base64 SHA-256 of the certificate's public key (SPKI): Chromium's certificate pin format. */
export async function spkiSha256(pem: string): Promise<string> {
  const cert = new x509.X509Certificate(pem);
  const spki = cert.publicKey.rawData;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", spki));
  return btoa(String.fromCharCode(...digest));
}

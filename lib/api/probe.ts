/**
 * The bandwidth probe (`GET /api/probe?bytes=N`): N bytes a viewer downloads
 * and times to estimate its goodput before it asks for more media (lib/client
 * profiles). The bytes are random, so no compressing proxy or link can make
 * the link look faster than it is; one random block is made once and sliced,
 * so a probe costs the server a copy, not a random-number generator run.
 */
import { UserError } from "../errors.ts";

/** Largest probe: a few seconds at the lowest profile, a blink at the highest. */
export const MAX_PROBE_BYTES = 256 * 1024;
export const DEFAULT_PROBE_BYTES = 64 * 1024;

/** The probe size a query asks for: `bytes` 1…MAX_PROBE_BYTES, default DEFAULT_PROBE_BYTES. */
export function probeSize(params: URLSearchParams): number {
  const raw = params.get("bytes");
  if (raw === null) return DEFAULT_PROBE_BYTES;
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_PROBE_BYTES)) {
    throw new UserError(
      `"bytes" must be a whole number from 1 to ${MAX_PROBE_BYTES}, e.g. /api/probe?bytes=65536`,
    );
  }
  return n;
}

let block: Uint8Array<ArrayBuffer> | null = null;

/** `n` incompressible bytes (n ≤ MAX_PROBE_BYTES), a fresh copy the response may own. */
export function probeBytes(n: number): Uint8Array<ArrayBuffer> {
  if (!block) {
    block = new Uint8Array(MAX_PROBE_BYTES);
    // getRandomValues fills at most 64 KiB per call.
    for (let at = 0; at < block.length; at += 65536) {
      crypto.getRandomValues(block.subarray(at, at + 65536));
    }
  }
  return block.slice(0, n);
}

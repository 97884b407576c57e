/**
 * Times `GET /api/probe?bytes=N` (docs/api.md) to estimate the link's spare
 * rate. The body is timed from its first chunk to its last, so the request's
 * round trip (and a new connection's set-up) does not count as slowness, and
 * the first chunk, which rides with the headers, is not counted either
 * (measured under Chromium's emulation at 64 kbit/s and 150 ms, timing from
 * the headers made 2, 8 and 32 KiB bodies look like 86, 70 and 61 kbit/s). A
 * body that arrives all at once is taken as at least `minBodyMs` long (a fast
 * link, not an infinite one). `fetch` and the clock are injected.
 */

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** A body timed under this long counts as this long, ms. */
export const MIN_BODY_MS = 10;

/** True when a probe of `bytes` came too fast to time: its rate is only a lower bound. */
export function tooFastToTime(bytes: number, bps: number): boolean {
  return bps >= ((bytes * 8 * 1000) / MIN_BODY_MS) * 0.5;
}

export interface ProbeOptions {
  fetch: Fetch;
  now: () => number;
  /** Gives up after this long, ms. */
  timeoutMs?: number;
  minBodyMs?: number;
}

/** Bits per second of the probe's body, or null when it failed. */
export async function probe(bytes: number, o: ProbeOptions): Promise<number | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), o.timeoutMs ?? 10_000);
  try {
    const res = await o.fetch(`/api/probe?bytes=${Math.round(bytes)}`, {
      signal: abort.signal,
      cache: "no-store",
    });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      return null;
    }
    // Timed from the first chunk on, counting what came after it: the first
    // chunk often rides with the headers and would make a small probe look fast.
    let start = 0;
    let got = 0;
    let first = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (first === 0) {
        first = value.byteLength;
        start = o.now();
      } else got += value.byteLength;
    }
    if (got === 0) got = first; // all in one chunk: a fast link
    const ms = Math.max(o.minBodyMs ?? MIN_BODY_MS, o.now() - start);
    return (got * 8 * 1000) / ms;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Bits per second over a sliding window, for the studio's "sent" figures.
 * Time is passed in, so tests never sleep.
 */
export class RateMeter {
  readonly #windowMs: number;
  #samples: { at: number; bytes: number }[] = [];
  /** Bytes counted since creation. */
  total = 0;

  constructor(windowMs = 3_000) {
    this.#windowMs = windowMs;
  }

  add(bytes: number, now: number): void {
    this.total += bytes;
    this.#samples.push({ at: now, bytes });
    this.#expire(now);
  }

  /** Average bits per second over the window ending at `now`. */
  bps(now: number): number {
    this.#expire(now);
    const bytes = this.#samples.reduce((n, s) => n + s.bytes, 0);
    return (bytes * 8 * 1000) / this.#windowMs;
  }

  #expire(now: number): void {
    const from = now - this.#windowMs;
    let i = 0;
    while (i < this.#samples.length && this.#samples[i].at <= from) i++;
    if (i > 0) this.#samples.splice(0, i);
  }
}

/** "1.2 Mbit/s", "350 kbit/s", "0 kbit/s". */
export function formatBitrate(bps: number): string {
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(1)} Mbit/s`;
  return `${Math.round(bps / 1e3)} kbit/s`;
}

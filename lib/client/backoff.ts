/**
 * Reconnect delays: exponential with full jitter, capped, reset after a
 * connection has stayed up. Pure: randomness and time are injected, so the
 * sockets (publisher.ts, watcher.ts) share one tested policy.
 */

/** Options for {@linkcode Backoff}. */
export interface BackoffOptions {
  /** First delay in ms (before jitter). */
  initialMs?: number;
  /** Largest delay in ms. */
  maxMs?: number;
  /** Growth per failed attempt. */
  factor?: number;
  /** Share of the delay that is random, 0 … 1; 0.5 gives delays in [d/2, d]. */
  jitter?: number;
  /** A connection up this long counts as healthy: the next failure starts from initialMs. */
  healthyAfterMs?: number;
  random?: () => number;
  now?: () => number;
}

/** Delay policy for one reconnecting connection. */
export class Backoff {
  #attempt = 0;
  #connectedAt: number | null = null;
  readonly #o: Required<BackoffOptions>;

  constructor(options: BackoffOptions = {}) {
    this.#o = {
      initialMs: 250,
      maxMs: 5_000,
      factor: 2,
      jitter: 0.5,
      healthyAfterMs: 10_000,
      random: Math.random,
      now: () => performance.now(),
      ...options,
    };
  }

  /** Failed attempts since the last healthy connection. */
  get attempt(): number {
    return this.#attempt;
  }

  /** Call when a connection opened. */
  connected(): void {
    this.#connectedAt = this.#o.now();
  }

  /** Call when a connection closed or failed to open; returns how long to wait before retrying. */
  next(): number {
    const o = this.#o;
    if (this.#connectedAt !== null && o.now() - this.#connectedAt >= o.healthyAfterMs) {
      this.#attempt = 0;
    }
    this.#connectedAt = null;
    const base = Math.min(o.maxMs, o.initialMs * o.factor ** this.#attempt);
    this.#attempt++;
    return Math.round(base * (1 - o.jitter * o.random()));
  }

  /** Forget failures, e.g. after the user asked to reconnect. */
  reset(): void {
    this.#attempt = 0;
    this.#connectedAt = null;
  }
}

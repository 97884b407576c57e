/**
 * A token bucket: `capacity` at once, refilled evenly so that at most
 * `capacity` pass per `windowMs` on average (5 per 5 s by default). Used per
 * chat connection and, keyed by client, for the HTTP limits
 * (client_buckets.ts). The clock is injected; tests never sleep.
 */

export interface RateLimitOptions {
  /** Burst size and messages per window (default 5). */
  capacity?: number;
  /** The window in ms (default 5000). */
  windowMs?: number;
  /** Monotonic ms. */
  now?: () => number;
}

/** What `take()` answers: allowed, or how long until the next token. */
export type Take = { ok: true } | { ok: false; retryAfterMs: number };

export class TokenBucket {
  readonly capacity: number;
  readonly windowMs: number;
  #tokens: number;
  #last: number;
  #now: () => number;

  constructor(options: RateLimitOptions = {}) {
    this.capacity = options.capacity ?? 5;
    this.windowMs = options.windowMs ?? 5000;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = this.capacity;
    this.#last = this.#now();
  }

  /** Takes one token if there is one. */
  take(now: number = this.#now()): Take {
    const perMs = this.capacity / this.windowMs;
    this.#tokens = Math.min(this.capacity, this.#tokens + Math.max(0, now - this.#last) * perMs);
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - this.#tokens) / perMs) };
  }

  /** True when the bucket has refilled completely by `now` (it can be forgotten). */
  full(now: number = this.#now()): boolean {
    return this.#tokens + Math.max(0, now - this.#last) * (this.capacity / this.windowMs) >=
      this.capacity;
  }
}

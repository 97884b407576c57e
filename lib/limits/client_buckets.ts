/**
 * One token bucket per client address, e.g. "10 rooms per minute per
 * client". Buckets that have refilled are forgotten, so memory follows the
 * clients active within one window, not every address ever seen; past
 * `maxClients` at once, new clients share one overflow bucket rather than
 * grow the map without bound. Pure: the clock is injected.
 */
import { RateLimitError } from "../errors.ts";
import { type Take, TokenBucket } from "./token_bucket.ts";

export interface ClientBucketOptions {
  /** What is limited, for the refusal: "room creations", "uploads". */
  what: string;
  /** Allowed per window, also the burst. */
  capacity: number;
  windowMs: number;
  now: () => number;
  /** Most clients tracked at once (default 10,000). */
  maxClients?: number;
  /** Clients the limit does not apply to (default none). */
  exempt?: (client: string) => boolean;
}

export class ClientBuckets {
  readonly #o: Required<ClientBucketOptions>;
  #buckets = new Map<string, TokenBucket>();
  #overflow: TokenBucket;
  #sweptAt: number;

  constructor(options: ClientBucketOptions) {
    this.#o = { maxClients: 10_000, exempt: () => false, ...options };
    this.#overflow = this.#bucket();
    this.#sweptAt = options.now();
  }

  /** Clients currently tracked. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one for `client`. */
  take(client: string): Take {
    if (this.#o.exempt(client)) return { ok: true };
    const now = this.#o.now();
    this.#sweep(now);
    let bucket = this.#buckets.get(client);
    if (!bucket) {
      if (this.#buckets.size >= this.#o.maxClients) return this.#overflow.take(now);
      bucket = this.#bucket();
      this.#buckets.set(client, bucket);
    }
    return bucket.take(now);
  }

  /** Takes one for `client` or throws a RateLimitError (429 with Retry-After). */
  require(client: string): void {
    const take = this.take(client);
    if (take.ok) return;
    const seconds = Math.max(1, Math.ceil(take.retryAfterMs / 1000));
    const { what, capacity, windowMs } = this.#o;
    throw new RateLimitError(
      `too many ${what} from your address: at most ${capacity} per ${
        windowMs / 1000
      } s; try again in ${seconds} s`,
      { retryAfterSeconds: seconds },
    );
  }

  #bucket(): TokenBucket {
    return new TokenBucket({
      capacity: this.#o.capacity,
      windowMs: this.#o.windowMs,
      now: this.#o.now,
    });
  }

  /** At most once per window: forget the clients whose buckets are full again. */
  #sweep(now: number): void {
    if (now - this.#sweptAt < this.#o.windowMs) return;
    this.#sweptAt = now;
    for (const [client, bucket] of this.#buckets) {
      if (bucket.full(now)) this.#buckets.delete(client);
    }
  }
}

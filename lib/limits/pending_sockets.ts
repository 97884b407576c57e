/**
 * Caps WebSockets that are open but have not said hello yet, per client and
 * in all: each costs a socket and a buffer while proving nothing, so a flood
 * of them is refused before the upgrade (429) instead of being held until
 * the hello deadline. Pure bookkeeping; the transport releases a slot at the
 * hello or the close, whichever comes first.
 */
import { RateLimitError } from "../errors.ts";

export interface PendingLimits {
  perClient: number;
  total: number;
  /** Clients the per-client cap does not apply to (the total still does). */
  exempt?: (client: string) => boolean;
}

/** One held slot; `release()` is idempotent. */
export interface PendingSlot {
  release(): void;
}

export class PendingSockets {
  #byClient = new Map<string, number>();
  #total = 0;

  constructor(readonly limits: PendingLimits) {}

  get total(): number {
    return this.#total;
  }

  held(client: string): number {
    return this.#byClient.get(client) ?? 0;
  }

  /** A slot for `client`, or RateLimitError (429) when it or the server is at its cap. */
  acquire(client: string): PendingSlot {
    const held = this.held(client);
    if (held >= this.limits.perClient && !this.limits.exempt?.(client)) {
      throw new RateLimitError(
        `too many connections from your address that have not said hello (${this.limits.perClient}); close some and retry`,
        { retryAfterSeconds: 5 },
      );
    }
    if (this.#total >= this.limits.total) {
      throw new RateLimitError(
        "the server has too many connections that have not said hello; retry in a few seconds",
        { retryAfterSeconds: 5 },
      );
    }
    this.#byClient.set(client, held + 1);
    this.#total++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#total--;
        const left = this.held(client) - 1;
        if (left > 0) this.#byClient.set(client, left);
        else this.#byClient.delete(client);
      },
    };
  }
}

/**
 * Keeps a connection honest: ping a peer that has been quiet for `pingAfterMs`,
 * drop one silent for `dropAfterMs`, and drop one that never says hello.
 * Pure: the session calls `heard()` on every message and `check(now)` on the
 * ticker, and acts on the answer.
 */
export interface HeartbeatLimits {
  helloTimeoutMs: number;
  pingAfterMs: number;
  dropAfterMs: number;
}

export const DEFAULT_HEARTBEAT: HeartbeatLimits = {
  // Short: a socket before its hello proves nothing and holds a pending slot (lib/limits/).
  helloTimeoutMs: 5_000,
  pingAfterMs: 10_000,
  dropAfterMs: 30_000,
};

export type HeartbeatAction = "none" | "ping" | "drop-silent" | "drop-no-hello";

export class Heartbeat {
  #openedAt: number;
  #lastHeard: number;
  #lastPing = -Infinity;
  #greeted = false;

  constructor(now: number, readonly limits: HeartbeatLimits = DEFAULT_HEARTBEAT) {
    this.#openedAt = now;
    this.#lastHeard = now;
  }

  heard(now: number): void {
    this.#lastHeard = now;
  }

  greeted(): void {
    this.#greeted = true;
  }

  check(now: number): HeartbeatAction {
    const { helloTimeoutMs, pingAfterMs, dropAfterMs } = this.limits;
    if (!this.#greeted) return now - this.#openedAt >= helloTimeoutMs ? "drop-no-hello" : "none";
    const quiet = now - this.#lastHeard;
    if (quiet >= dropAfterMs) return "drop-silent";
    if (quiet >= pingAfterMs && now - this.#lastPing >= pingAfterMs) {
      this.#lastPing = now;
      return "ping";
    }
    return "none";
  }
}

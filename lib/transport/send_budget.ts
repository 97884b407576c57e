/**
 * How many bytes the process hands to Deno's WebSocket in one event-loop
 * turn. Deno copies each `send()` into native memory and writes it only after
 * the JavaScript turn ends, so fanning one 40 KB keyframe out to 2,000
 * viewers in a single turn held 80 MB of copies at once, and the allocator
 * keeps that peak as resident memory. Past the budget a sink refuses the
 * write (the packet stays queued in its Subscriber) and is pumped again on
 * the next turn, after those writes have gone out and their copies are freed.
 * Spreading a keyframe over turns of 8 MiB costs the last viewers a few
 * milliseconds, not a frame.
 */
export class SendBudget {
  #used = 0;
  #resetting = false;

  constructor(readonly bytesPerTurn: number) {}

  /** Takes `bytes` for this turn; false when the turn's budget is spent (always true for the first send of a turn). */
  take(bytes: number): boolean {
    if (this.#used > 0 && this.#used + bytes > this.bytesPerTurn) return false;
    this.#used += bytes;
    if (!this.#resetting) {
      this.#resetting = true;
      setTimeout(() => {
        this.#used = 0;
        this.#resetting = false;
      }, 0);
    }
    return true;
  }

  get used(): number {
    return this.#used;
  }
}

/** The server's one budget: 8 MiB of WebSocket frames per event-loop turn. */
export const sendBudget: SendBudget = new SendBudget(8 * 1024 * 1024);

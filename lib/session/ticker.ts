/**
 * One timer for every live connection: pumps viewers' queues (Deno's WebSocket
 * has no drain event), sends changed room state, runs heartbeats. A timer per
 * connection would cost thousands of callbacks a second at scale.
 */
export interface Tickable {
  tick(now: number): void;
}

export class Ticker {
  #items = new Set<Tickable>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly intervalMs: number, readonly now: () => number) {}

  get size(): number {
    return this.#items.size;
  }

  add(item: Tickable): void {
    this.#items.add(item);
    this.#timer ??= setInterval(() => this.tickAll(this.now()), this.intervalMs);
  }

  remove(item: Tickable): void {
    this.#items.delete(item);
    if (this.#items.size === 0) this.stop();
  }

  tickAll(now: number): void {
    for (const item of this.#items) item.tick(now);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

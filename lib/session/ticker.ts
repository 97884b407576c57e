/**
 * One timer for every connection that does only what has work:
 *
 * - `wake(item)`: the item has data its transport could not take yet (a
 *   viewer whose socket is full). It is pumped on every tick until `pump()`
 *   returns false. Deno's WebSocket has no drain event, so polling the few
 *   backlogged viewers is the drain; the many that keep up cost nothing here
 *   (their media goes out when it is offered).
 * - `soon(item)`: the same, but first pumped on the next event-loop turn:
 *   for a socket that is draining (Deno writes a send after the turn ends),
 *   so a viewer catching up does not wait 50 ms per packet.
 * - a heartbeat wheel: each item's `heartbeat()` runs once per turn of the
 *   wheel (`wheelMs`, 1 s), and the items are spread over the ticks of a
 *   turn, so 2,000 idle viewers cost 100 calls a tick, not 2,000.
 *
 * The timer runs only while something is registered or awake. Pure apart
 * from that timer: tests call `tickAll(now)` with their own clock.
 */
export interface Tickable {
  /** Sends what it can; true while it still has queued work (stays awake). */
  pump(now: number): boolean;
  /** Coarse checks: ping a quiet peer, drop a silent one. */
  heartbeat(now: number): void;
}

export class Ticker {
  #slots: Set<Tickable>[];
  #slotOf = new Map<Tickable, number>();
  #awake = new Set<Tickable>();
  #turn = 0;
  #next = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #soon: ReturnType<typeof setTimeout> | undefined;
  #soonItems = new Set<Tickable>();

  constructor(
    readonly intervalMs: number,
    readonly now: () => number,
    readonly wheelMs = 1000,
  ) {
    const slots = Math.max(1, Math.round(wheelMs / intervalMs));
    this.#slots = Array.from({ length: slots }, () => new Set());
  }

  /** Items registered for heartbeats. */
  get size(): number {
    return this.#slotOf.size;
  }

  /** Items being pumped every tick. */
  get awake(): number {
    return this.#awake.size;
  }

  add(item: Tickable): void {
    if (this.#slotOf.has(item)) return;
    const slot = this.#next++ % this.#slots.length;
    this.#slots[slot].add(item);
    this.#slotOf.set(item, slot);
    this.#start();
  }

  remove(item: Tickable): void {
    const slot = this.#slotOf.get(item);
    if (slot !== undefined) this.#slots[slot].delete(item);
    this.#slotOf.delete(item);
    this.#awake.delete(item);
    this.#soonItems.delete(item);
    if (this.#slotOf.size === 0 && this.#awake.size === 0) this.stop();
  }

  /** `item` has queued work: pump it on every tick until its pump() returns false. */
  wake(item: Tickable): void {
    this.#awake.add(item);
    this.#start();
  }

  /**
   * Pumps `item` on the next event-loop turn instead of waiting for the tick
   * (and keeps it awake after that). For a sink whose socket is draining
   * (it sent something on its last pump, or refused only because the
   * process had sent enough for this turn): its next write is usually
   * possible one turn later, not 50 ms later. A sink that makes no progress
   * stops asking and falls back to the tick.
   */
  soon(item: Tickable): void {
    this.#awake.add(item);
    this.#soonItems.add(item);
    this.#soon ??= setTimeout(() => {
      this.#soon = undefined;
      const items = this.#soonItems;
      this.#soonItems = new Set();
      const now = this.now();
      for (const i of items) if (!i.pump(now)) this.#awake.delete(i);
    }, 0);
    this.#start();
  }

  /** Pumps every awake item once; those with nothing left go back to sleep. */
  pumpAwake(now: number): void {
    // Deleting the current entry while iterating a Set is safe; items woken
    // meanwhile are visited in this same pass.
    for (const item of this.#awake) if (!item.pump(now)) this.#awake.delete(item);
  }

  tickAll(now: number): void {
    this.pumpAwake(now);
    const slot = this.#slots[this.#turn];
    this.#turn = (this.#turn + 1) % this.#slots.length;
    for (const item of slot) item.heartbeat(now);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#soon !== undefined) clearTimeout(this.#soon);
    this.#timer = undefined;
    this.#soon = undefined;
  }

  #start(): void {
    this.#timer ??= setInterval(() => this.tickAll(this.now()), this.intervalMs);
  }
}

/**
 * A byte budget for media the hub keeps in memory, nested: a track's bytes
 * count against its room's budget, and the room's against the server's
 * (`--max-memory-mb`). The ring window is measured in arrival time, so a
 * burst (one fast 66 MB PUT) would otherwise be kept whole; budgets bound it
 * whatever the timestamps say. Pure bookkeeping: whoever holds the bytes
 * reports every change with `add()`, and asks `fits()` before growing.
 */
import type { ParserMemory } from "../media/options.ts";

export class MemoryBudget {
  #used = 0;
  #rejected = 0;

  constructor(readonly limit: number, readonly parent: MemoryBudget | null = null) {}

  /** Segments refused because this budget (or a parent) was full, children's included. */
  get rejected(): number {
    return this.#rejected;
  }

  /** Counts one refused segment here and in every parent. */
  reject(): void {
    for (const b of this.#chain()) b.#rejected++;
  }

  /** Bytes held now under this budget (children included). */
  get used(): number {
    return this.#used;
  }

  /** Records `delta` bytes gained (or lost, when negative) here and in every parent. */
  add(delta: number): void {
    for (const b of this.#chain()) b.#used += delta;
  }

  /** True when `bytes` more fit in this budget alone (parents not asked). */
  fitsHere(bytes: number): boolean {
    return this.#used + bytes <= this.limit;
  }

  /** True when `bytes` more fit here and in every parent. */
  fits(bytes: number): boolean {
    for (const b of this.#chain()) {
      if (b.#used + bytes > b.limit) return false;
    }
    return true;
  }

  /** The innermost budget (this or a parent) that `bytes` more would overflow, or null. */
  overflowed(bytes: number): MemoryBudget | null {
    for (const b of this.#chain()) {
      if (b.#used + bytes > b.limit) return b;
    }
    return null;
  }

  /** This budget, then each parent outwards. */
  *#chain(): Generator<MemoryBudget> {
    yield this;
    for (let b = this.parent; b; b = b.parent) yield b;
  }
}

/**
 * Memory one holder takes from a budget in steps (a publisher's parser
 * buffer, lib/media/bytes.ts) and gives back all at once with `release()`.
 * `grow()` first asks `makeRoom` (which frees what it can, or throws the
 * refusal), then counts the bytes. Once released it counts nothing more: a
 * parser still finishing a push after its stream was ended (the room ended
 * under an HTTP ingest) cannot leave bytes in the budget for good.
 */
export class MemoryLease implements ParserMemory {
  #held = 0;
  #released = false;

  constructor(
    private readonly budget: MemoryBudget,
    private readonly makeRoom: (bytes: number) => void = () => {},
  ) {}

  /** Bytes this lease holds now. */
  get held(): number {
    return this.#held;
  }

  grow(bytes: number): void {
    if (this.#released) return;
    this.makeRoom(bytes);
    this.budget.add(bytes);
    this.#held += bytes;
  }

  release(): void {
    this.budget.add(-this.#held);
    this.#held = 0;
    this.#released = true;
  }
}

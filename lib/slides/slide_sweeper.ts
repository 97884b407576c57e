/**
 * Deletes the slide images nothing needs any more, whenever that may have
 * changed: a deck was replaced, a room ended, a recording was deleted, at
 * startup (decks of rooms that no longer exist) and after retention. An
 * image stays while a deck in use names it (see DeckStore) or a recording on
 * disk does: a recording's events name slide URLs and `/slides/:file` must
 * keep serving them for as long as the recording is kept.
 *
 * A lesson still being recorded may not have written its last events yet,
 * so the retired decks of its room stay (`pinnedRooms`, read before and
 * after the recordings are scanned, so a recording that ends meanwhile is
 * counted by one or the other). Sweeps run one at a time; asking during one
 * runs one more after it, never more. A failure is logged, never thrown.
 */
import type { Logger } from "../log.ts";
import type { DeckStore } from "./deck_store.ts";

export interface SlideSweeperOptions {
  decks: DeckStore;
  /** Slide file names the recordings on disk refer to. */
  recorded: () => Promise<Set<string>>;
  /** Rooms whose lesson is being recorded (or finished writing just now). */
  pinnedRooms: () => Set<string>;
  log: Logger;
}

export class SlideSweeper {
  #o: SlideSweeperOptions;
  #current: Promise<void> | null = null;
  #next: Promise<void> | null = null;

  constructor(options: SlideSweeperOptions) {
    this.#o = options;
  }

  /** Asks for a sweep; resolves once a sweep that began after this call has finished. */
  sweep(): Promise<void> {
    if (!this.#current) {
      this.#current = this.#run().finally(() => this.#current = null);
      return this.#current;
    }
    this.#next ??= this.#current.then(() => {
      this.#next = null;
      return this.sweep();
    });
    return this.#next;
  }

  /** Resolves when no sweep is running or asked for. */
  async settled(): Promise<void> {
    while (this.#current || this.#next) await (this.#next ?? this.#current);
  }

  async #run(): Promise<void> {
    const { decks, recorded, pinnedRooms, log } = this.#o;
    try {
      const before = pinnedRooms();
      const keep = await recorded();
      let after: Set<string> | null = null;
      const deleted = await decks.sweep(
        keep,
        (room) => before.has(room) || (after ??= pinnedRooms()).has(room),
      );
      if (deleted.length > 0) {
        const n = deleted.length;
        log.info(`slides: deleted ${n} image${n === 1 ? "" : "s"} no deck or recording uses`);
      }
    } catch (err) {
      log.error(`slides: deleting unused images failed: ${(err as Error).message}`);
    }
  }
}

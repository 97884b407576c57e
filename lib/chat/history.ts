/**
 * The last messages of one room's chat, which late joiners receive as
 * `chat-history`. A ring: beyond `capacity` the oldest message goes. Pure.
 */
import type { ChatEntry } from "../protocol.ts";

/** How many messages a late joiner gets. */
export const HISTORY_SIZE = 100;

export class ChatHistory {
  #entries: ChatEntry[] = [];

  constructor(readonly capacity = HISTORY_SIZE) {}

  get size(): number {
    return this.#entries.length;
  }

  /** Appends a message, dropping the oldest when full. */
  push(entry: ChatEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.capacity) this.#entries.shift();
  }

  /** Removes a message by id; false when it is not (or no longer) kept. */
  remove(id: string): boolean {
    const at = this.#entries.findIndex((e) => e.id === id);
    if (at < 0) return false;
    this.#entries.splice(at, 1);
    return true;
  }

  /** Oldest first; a copy the caller may keep. */
  list(): ChatEntry[] {
    return [...this.#entries];
  }
}

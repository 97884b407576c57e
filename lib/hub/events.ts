/**
 * A room's event stream: everything that happens in a room besides media,
 * as small JSON-serialisable records (title changes, going live, tracks
 * starting and stopping, chat messages and deletions, and whatever later
 * features add: slides, ink). Producers `emit()`; consumers (the recorder,
 * later viewers) `subscribe()`. The stream knows no event types, so a new kind
 * of event needs no change here or in the recorder.
 *
 * Listeners run synchronously inside `emit()`, in subscription order; a
 * listener that throws is dropped from that emit only (the error is reported
 * to `onError`), so one broken consumer never breaks the room or the others.
 * Pure: no timers and no I/O.
 */

/** One event. `at` is unix ms by the room's wall clock; other fields depend on `type`. */
export interface RoomEvent {
  type: string;
  at: number;
  [field: string]: unknown;
}

export type RoomEventListener = (event: RoomEvent) => void;

export class RoomEvents {
  #listeners = new Set<RoomEventListener>();
  #onError: (err: unknown) => void;

  constructor(options: { onError?: (err: unknown) => void } = {}) {
    this.#onError = options.onError ?? (() => {});
  }

  /** Number of listeners (for tests and stats). */
  get listeners(): number {
    return this.#listeners.size;
  }

  /** Hands `event` to every listener now. Never throws for a listener's error. */
  emit(event: RoomEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.#onError(err);
      }
    }
  }

  /** Calls `listener` for every later event; returns the function that stops it. */
  subscribe(listener: RoomEventListener): () => void {
    const own = (event: RoomEvent) => listener(event);
    this.#listeners.add(own);
    return () => this.#listeners.delete(own);
  }
}

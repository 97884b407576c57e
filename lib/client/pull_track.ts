/**
 * Plays one track from pull mode (lib/egress/segments.ts) instead of the
 * WebSocket: read the track's index, fetch the init of its generation, then
 * the pieces one after another from the newest keyframe. Asking for the next
 * piece before it exists is a long-poll (the server answers when it arrives),
 * so the loop never sleeps while the stream runs, and every URL it asks for
 * is one an HTTP cache shares between viewers.
 *
 * - 404 on a piece (it did not come in time): read the index again and go on.
 * - 410 (the piece left the server's buffer, or the generation is over):
 *   read the index again and start over at its newest keyframe, re-initing
 *   when the generation changed (the presenter reconnected).
 * - No index (the track is not live): `onGone()` once, then ask again every
 *   `retryMs`. A network error or 5xx: wait `retryMs`, then the index again.
 * - Every `checkEveryMs` it reads the index again; more than `maxBehind`
 *   pieces behind `next` (a slow network, a busy device), it skips ahead to
 *   the newest keyframe, as the server does for a slow WebSocket viewer.
 *
 * `fetch` and `sleep` are injected so tests drive it with fakes.
 */

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** What the pull mode's index says (the fields this client reads). */
export interface PullIndex {
  generation: number;
  init: string;
  segments: { n: number; keyframe: boolean }[];
  next: number;
}

export interface PullTrackOptions {
  /** The track's base URL: `/s/ROOM/TRACK`, or with an origin in front. */
  base: string;
  fetch: Fetch;
  /** Waits `ms`; resolves early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Pause between tries while the track is not live or the server fails, ms. */
  retryMs?: number;
  /** Pause before reading the index again after a 404/410, so a stale cached index cannot spin. */
  settleMs?: number;
  /** How often to compare the position with the index while pulling, ms (default 2000). */
  checkEveryMs?: number;
  /** Pieces behind `next` above which it skips to the newest keyframe (default 20, ~2 s). */
  maxBehind?: number;
  /** Monotonic ms. */
  now?: () => number;
}

export interface PullStats {
  pieces: number;
  inits: number;
  indexReads: number;
  /** Non-200 answers and network errors. */
  misses: number;
  /** Skips ahead to the newest keyframe after falling behind. */
  skips: number;
}

/** Where in a generation to begin: its newest keyframe, else the piece to come. */
export function startPiece(index: PullIndex): { n: number; keyframe: boolean } {
  for (let i = index.segments.length - 1; i >= 0; i--) {
    if (index.segments[i].keyframe) return { n: index.segments[i].n, keyframe: true };
  }
  return { n: index.next, keyframe: false };
}

/** Checks the parts of an index this client relies on; null when it is not one. */
export function parseIndex(value: unknown): PullIndex | null {
  const o = value as Partial<PullIndex> | null;
  if (
    typeof o?.generation !== "number" || typeof o.init !== "string" ||
    typeof o.next !== "number" || !Array.isArray(o.segments)
  ) return null;
  const segments = o.segments.filter((s) =>
    typeof s?.n === "number" && typeof s.keyframe === "boolean"
  );
  return { generation: o.generation, init: o.init, segments, next: o.next };
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** One track pulled over plain HTTP. Set the callbacks, then `start()`. */
export class PullTrack {
  /**
   * A new init segment; `clockMs` is where its media time 0 sits on the
   * presenter's clock (the init's `X-Clock-Ms`), when the server says.
   */
  onInit: (mime: string, bytes: Uint8Array, clockMs?: number) => void = () => {};
  /** A media piece; `n` is its number in the generation (for measurements). */
  onMedia: (bytes: Uint8Array, keyframe: boolean, n: number) => void = () => {};
  /** The track stopped being live (its index is gone). */
  onGone: () => void = () => {};
  readonly stats: PullStats = { pieces: 0, inits: 0, indexReads: 0, misses: 0, skips: 0 };
  readonly #o: Required<PullTrackOptions>;
  #abort: AbortController | null = null;
  #generation = -1;
  #n = -1;
  #needKey = false;
  #live = false;

  constructor(options: PullTrackOptions) {
    this.#o = {
      sleep: defaultSleep,
      retryMs: 1000,
      settleMs: 250,
      checkEveryMs: 2000,
      maxBehind: 20,
      now: () => performance.now(),
      ...options,
    };
  }

  get running(): boolean {
    return this.#abort !== null;
  }

  start(): void {
    if (this.#abort) return;
    const abort = new AbortController();
    this.#abort = abort;
    const signal = abort.signal;
    // The loop ends only by stop(); a callback that threw starts it over after a pause.
    const loop = (): Promise<void> =>
      this.#run(signal).catch(() =>
        signal.aborted ? undefined : this.#o.sleep(this.#o.retryMs, signal).then(loop)
      );
    loop();
  }

  stop(): void {
    this.#abort?.abort();
    this.#abort = null;
  }

  async #run(signal: AbortSignal): Promise<void> {
    let settle = false;
    while (!signal.aborted) {
      if (settle) await this.#o.sleep(this.#o.settleMs, signal);
      settle = false;
      const index = await this.#readIndex(signal);
      if (signal.aborted) return;
      if (index === "error") {
        await this.#o.sleep(this.#o.retryMs, signal);
        continue;
      }
      if (index === null) {
        if (this.#live) {
          this.#live = false;
          this.#generation = -1;
          this.onGone();
        }
        await this.#o.sleep(this.#o.retryMs, signal);
        continue;
      }
      if (index.generation !== this.#generation) {
        if (!(await this.#init(index, signal))) {
          settle = true;
          continue;
        }
      } else if (!this.#inRange(index)) {
        this.#begin(index);
      } else if (index.next - this.#n > this.#o.maxBehind) {
        const start = startPiece(index);
        if (start.n > this.#n) {
          this.stats.skips++;
          this.#n = start.n;
          this.#needKey = !start.keyframe;
        }
      }
      const outcome = await this.#pull(signal);
      if (outcome === "error") await this.#o.sleep(this.#o.retryMs, signal);
      else if (outcome === "miss") settle = true;
    }
  }

  #inRange(index: PullIndex): boolean {
    const oldest = index.segments[0]?.n ?? index.next;
    return this.#n >= oldest && this.#n <= index.next;
  }

  #begin(index: PullIndex): void {
    const start = startPiece(index);
    this.#n = start.n;
    this.#needKey = !start.keyframe;
  }

  async #readIndex(signal: AbortSignal): Promise<PullIndex | null | "error"> {
    this.stats.indexReads++;
    try {
      const res = await this.#o.fetch(`${this.#o.base}/segments`, { signal });
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) {
        await res.body?.cancel();
        this.stats.misses++;
        return "error";
      }
      return parseIndex(await res.json()) ?? "error";
    } catch {
      this.stats.misses++;
      return "error";
    }
  }

  async #init(index: PullIndex, signal: AbortSignal): Promise<boolean> {
    try {
      const res = await this.#o.fetch(this.#url(index.init), { signal });
      if (!res.ok) {
        await res.body?.cancel();
        this.stats.misses++;
        return false;
      }
      const mime = res.headers.get("content-type") ?? "video/webm";
      const clock = Number(res.headers.get("x-clock-ms") ?? NaN);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (signal.aborted) return false;
      this.#generation = index.generation;
      this.#live = true;
      this.stats.inits++;
      this.#begin(index);
      this.onInit(mime, bytes, Number.isFinite(clock) ? clock : undefined);
      return true;
    } catch {
      this.stats.misses++;
      return false;
    }
  }

  /** Fetches pieces in order until one is not there or it is time to check; says why it stopped. */
  async #pull(signal: AbortSignal): Promise<"miss" | "error" | "check"> {
    const checkAt = this.#o.now() + this.#o.checkEveryMs;
    for (;;) {
      if (this.#o.now() >= checkAt) return "check";
      let res: Response;
      try {
        res = await this.#o.fetch(`${this.#o.base}/g/${this.#generation}/${this.#n}`, { signal });
      } catch {
        if (!signal.aborted) this.stats.misses++; // stop() is not a miss
        return "error";
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        this.stats.misses++;
        if (res.status === 410) this.#n = -1; // gone: start again at the newest keyframe
        return res.status === 404 || res.status === 410 ? "miss" : "error";
      }
      const keyframe = res.headers.get("x-keyframe") === "1";
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await res.arrayBuffer());
      } catch {
        this.stats.misses++;
        return "error";
      }
      if (signal.aborted) return "miss";
      const n = this.#n++;
      this.stats.pieces++;
      if (this.#needKey && !keyframe) continue;
      this.#needKey = false;
      this.onMedia(bytes, keyframe, n);
    }
  }

  /** An index URL is a path; keep the origin of `base` in front of it, if any. */
  #url(path: string): string {
    const origin = this.#o.base.match(/^[a-z]+:\/\/[^/]+/i)?.[0] ?? "";
    return origin + path;
  }
}

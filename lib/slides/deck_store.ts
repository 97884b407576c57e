/**
 * Slide decks on disk. The studio renders each page in the browser and
 * uploads one image per rendition box (lib/slides/renditions.ts); a deck is
 * complete once every page has every rendition. Images are stored once by
 * content under `<dataDir>/slides/<sha256>.webp|jpg` and served at
 * `/slides/<file>` forever-cacheable: a URL never changes meaning, and a
 * recording's events can name them long after the room is gone.
 *
 * Images are deleted by `sweep()`, never one by one: a file may belong to
 * several decks (the same page uploaded twice) and to recordings, so a sweep
 * deletes only what no deck in use and nothing in `keep` names. A deck is in
 * use until it is retired: when a newer deck of its room is shown
 * (`shown()`) or its room ends (`closeRoom()`); a retired deck whose room is
 * `pinned` at sweep time (its lesson is being recorded) stays in use until a
 * later sweep. Writes and the sweep's deletes take turns (one lock), so an
 * upload never names a file a sweep is removing.
 *
 * Limits: `maxPages` per deck, `maxRenditionBytes` per image, and the
 * newest `maxDecks` decks kept in memory (the oldest deck that is not on
 * show is forgotten first, and its images go at the next sweep). Errors are
 * UserError/TooLargeError/NotFoundError with a message that says what to do.
 */
import { NotFoundError, TooLargeError, UnsupportedMediaError, UserError } from "../errors.ts";
import type { SlideRendition } from "../protocol.ts";
import { imageInfo } from "./image_size.ts";
import { type Box, boxName, boxNamed, RENDITION_BOXES } from "./renditions.ts";

export interface DeckLimits {
  maxPages: number;
  maxRenditionBytes: number;
  maxDecks: number;
}

export const DEFAULT_DECK_LIMITS: DeckLimits = {
  maxPages: 200,
  maxRenditionBytes: 2 * 1024 * 1024,
  maxDecks: 256,
};

/** A deck: per page, its renditions smallest first (complete decks only have all). */
export interface Deck {
  id: string;
  roomId: string;
  pages: SlideRendition[][];
  complete: boolean;
}

/** The file names `/slides/:file` serves. */
export const SLIDE_FILE = /^[0-9a-f]{40}\.(webp|jpg)$/;
/** A slide image URL anywhere in a text (a recording's events); group 1 is the file name. */
export const SLIDE_URL = /\/slides\/([0-9a-f]{40}\.(?:webp|jpg))/g;
/** An image being written (see `put()`), or left half-written by a crash. */
const PART_FILE = /^[0-9a-f]{40}\.(webp|jpg)\.[A-Za-z0-9_-]+\.part$/;

export class DeckStore {
  readonly limits: DeckLimits;
  readonly #dir: string;
  /** Decks in use or retired but not yet swept, oldest first. */
  #decks = new Map<string, Deck>();
  /** Ids of decks no longer shown (see `shown()`, `closeRoom()`). */
  #retired = new Set<string>();
  /** Per room, the deck on show. */
  #shown = new Map<string, string>();
  /** The tail of the file operations (writes, sweeps), which run one at a time. */
  #files: Promise<unknown> = Promise.resolve();

  constructor(dir: string, limits: Partial<DeckLimits> = {}) {
    this.#dir = dir;
    this.limits = { ...DEFAULT_DECK_LIMITS, ...limits };
  }

  /** Starts a deck of `pages` pages for a room; UserError outside 1…maxPages. */
  create(roomId: string, pages: number): Deck {
    const { maxPages, maxDecks } = this.limits;
    if (!Number.isInteger(pages) || pages < 1) {
      throw new UserError('say how many pages the deck has, e.g. {"pages": 12}');
    }
    if (pages > maxPages) {
      throw new UserError(`a deck has at most ${maxPages} pages; split it into smaller decks`);
    }
    const id = randomId();
    const deck: Deck = {
      id,
      roomId,
      pages: Array.from({ length: pages }, () => []),
      complete: false,
    };
    this.#decks.set(id, deck);
    for (const old of this.#decks.values()) {
      if (this.#decks.size <= maxDecks) break;
      if (this.#shown.get(old.roomId) !== old.id) this.#forget(old.id);
    }
    return deck;
  }

  /** Deck `deck` is now on show in its room: the room's older decks are retired. */
  shown(deck: Deck): void {
    this.#shown.set(deck.roomId, deck.id);
    for (const old of this.#decks.values()) {
      if (old === deck) break;
      if (old.roomId === deck.roomId) this.#retired.add(old.id);
    }
  }

  /** Room `roomId` ended: all its decks are retired. */
  closeRoom(roomId: string): void {
    this.#shown.delete(roomId);
    for (const deck of this.#decks.values()) {
      if (deck.roomId === roomId) this.#retired.add(deck.id);
    }
  }

  /**
   * Deletes every stored image that no deck in use names and `keep` does
   * not hold (with leftovers of interrupted writes). Retired decks are
   * forgotten here unless their room is `pinned`. Returns the deleted file
   * names.
   */
  sweep(keep: ReadonlySet<string>, pinned: (roomId: string) => boolean): Promise<string[]> {
    return this.#exclusive(async () => {
      const used = new Set(keep);
      for (const deck of [...this.#decks.values()]) {
        if (this.#retired.has(deck.id) && !pinned(deck.roomId)) {
          this.#forget(deck.id);
          continue;
        }
        for (const page of deck.pages) {
          for (const r of page) used.add(r.url.slice("/slides/".length));
        }
      }
      const deleted: string[] = [];
      try {
        for await (const entry of Deno.readDir(this.#dir)) {
          const name = entry.name;
          if (!entry.isFile || used.has(name)) continue;
          if (!SLIDE_FILE.test(name) && !PART_FILE.test(name)) continue;
          await Deno.remove(`${this.#dir}/${name}`).catch(notFoundIsFine);
          deleted.push(name);
        }
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
      return deleted;
    });
  }

  /** The deck `id` of room `roomId`; NotFoundError otherwise. */
  get(roomId: string, id: string): Deck {
    const deck = this.#decks.get(id);
    if (!deck || deck.roomId !== roomId) {
      throw new NotFoundError("no such deck in this room; upload the slides again");
    }
    return deck;
  }

  /**
   * Stores one rendition of a page. The image must be JPEG or WebP, at most
   * `maxRenditionBytes`, and fit inside the named box with one side filling
   * it (how the studio scales). Returns the deck, complete when this was the
   * last missing image.
   */
  async put(
    roomId: string,
    deckId: string,
    page: number,
    sizeName: string,
    bytes: Uint8Array<ArrayBuffer>,
  ): Promise<{ deck: Deck; rendition: SlideRendition }> {
    const deck = this.get(roomId, deckId);
    if (!Number.isInteger(page) || page < 0 || page >= deck.pages.length) {
      throw new UserError(`page must be 0 to ${deck.pages.length - 1}`);
    }
    const box = boxNamed(sizeName);
    if (!box) {
      throw new UserError(`size must be one of ${RENDITION_BOXES.map(boxName).join(", ")}`);
    }
    if (bytes.byteLength > this.limits.maxRenditionBytes) throw this.tooLarge();
    const info = imageInfo(bytes);
    if (!info) throw new UnsupportedMediaError("a slide image must be a JPEG or WebP file");
    if (!fills(info, box)) {
      throw new UserError(
        `a ${sizeName} rendition must fit inside ${sizeName} with one side filling it, not ${info.w}x${info.h}`,
      );
    }
    const hash = await hashHex(bytes);
    const file = `${hash}.${info.type === "image/webp" ? "webp" : "jpg"}`;
    // The file and the deck's mention of it appear together, between sweeps.
    return this.#exclusive(async () => {
      await Deno.mkdir(this.#dir, { recursive: true });
      const path = `${this.#dir}/${file}`;
      try {
        await Deno.lstat(path);
      } catch {
        // Written under a temporary name, then renamed: a reader never sees half a file.
        const tmp = `${path}.${randomId()}.part`;
        await Deno.writeFile(tmp, bytes);
        await Deno.rename(tmp, path);
      }
      const rendition = { w: info.w, h: info.h, url: `/slides/${file}` };
      const renditions = deck.pages[page].filter((r) => boxNameOf(r) !== sizeName);
      renditions.push(rendition);
      renditions.sort((a, b) => a.w * a.h - b.w * b.h);
      deck.pages[page] = renditions;
      deck.complete = deck.pages.every((p) => p.length === RENDITION_BOXES.length);
      return { deck, rendition };
    });
  }

  /** A stored image's bytes and type, or null when there is none (or the name is not one of ours). */
  async read(file: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; type: string } | null> {
    if (!SLIDE_FILE.test(file)) return null;
    try {
      const bytes = await Deno.readFile(`${this.#dir}/${file}`);
      return { bytes, type: file.endsWith(".webp") ? "image/webp" : "image/jpeg" };
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return null;
      throw err;
    }
  }

  #forget(id: string): void {
    this.#decks.delete(id);
    this.#retired.delete(id);
  }

  /** Runs `fn` after every file operation queued before it; the next waits for it. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#files.then(fn, fn);
    this.#files = run.catch(() => {});
    return run;
  }

  tooLarge(): TooLargeError {
    return new TooLargeError(
      `a slide image is at most ${
        this.limits.maxRenditionBytes / 1024 / 1024
      } MiB; export the slides at a lower quality`,
    );
  }
}

/** Which box a stored rendition was uploaded for: the smallest it fits. */
function boxNameOf(r: SlideRendition): string {
  const box = RENDITION_BOXES.find((b) => fills(r, b));
  return box ? boxName(box) : "";
}

/** True when `size` fits inside `box` and touches it on at least one side (±1 px rounding). */
function fills(size: { w: number; h: number }, box: Box): boolean {
  return size.w <= box.w && size.h <= box.h && (size.w >= box.w - 1 || size.h >= box.h - 1);
}

async function hashHex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest.subarray(0, 20)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function notFoundIsFine(err: unknown): void {
  if (!(err instanceof Deno.errors.NotFound)) throw err;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_");
}

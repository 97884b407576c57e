import assert from "node:assert/strict";
import { slideImage } from "../../tests/slide_images.ts";
import { DECK_SIZES } from "../../tests/slide_decks.ts";
import { type Deck, DeckStore } from "./deck_store.ts";

async function withStore(fn: (store: DeckStore, dir: string) => Promise<void>, limits = {}) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(new DeckStore(dir, limits), dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("DeckStore: a deck is complete when every page has every rendition", () =>
  withStore(async (store, dir) => {
    const deck = store.create("room1", 2);
    for (let page = 0; page < 2; page++) {
      for (const [w, h, name] of DECK_SIZES) {
        assert.equal(deck.complete, false);
        const { rendition } = await store.put("room1", deck.id, page, name, await slideImage(w, h));
        assert.deepEqual([rendition.w, rendition.h], [w, h]);
        assert.match(rendition.url, /^\/slides\/[0-9a-f]{40}\.webp$/);
      }
    }
    assert.equal(deck.complete, true);
    assert.deepEqual(deck.pages[1].map((r) => r.w), [800, 1024, 1280, 1920]);
    const file = deck.pages[0][0].url.split("/").pop()!;
    const stored = await store.read(file);
    assert.equal(stored?.type, "image/webp");
    assert.deepEqual(stored?.bytes, await Deno.readFile(`${dir}/${file}`));
    // Uploading a page's rendition again replaces it instead of adding one.
    await store.put("room1", deck.id, 0, "800x600", await slideImage(800, 450, "jpg"));
    assert.equal(deck.pages[0].length, 4);
  }));

Deno.test("DeckStore refuses page counts, sizes and images outside the limits", () =>
  withStore(async (store) => {
    assert.throws(() => store.create("r", 0), /how many pages/);
    assert.throws(() => store.create("r", 4), /at most 3 pages/);
    const deck = store.create("r", 1);
    const webp = await slideImage(800, 450);
    await assert.rejects(() => store.put("r", deck.id, 1, "800x600", webp), /page must be 0 to 0/);
    await assert.rejects(() => store.put("r", deck.id, 0, "640x480", webp), /size must be one of/);
    await assert.rejects(() => store.put("r", deck.id, 0, "1280x720", webp), /fit inside 1280x720/);
    await assert.rejects(
      () => store.put("r", deck.id, 0, "800x600", new TextEncoder().encode("<svg/>")),
      /JPEG or WebP/,
    );
    const big = await slideImage(1920, 1080, "jpg");
    const small = new DeckStore("/nonexistent", { maxRenditionBytes: big.byteLength - 1 });
    const d2 = small.create("r", 1);
    await assert.rejects(() => small.put("r", d2.id, 0, "1920x1080", big), /at most/);
    assert.throws(() => store.get("other-room", deck.id), /no such deck/);
    assert.equal(await store.read("../etc/passwd"), null);
    assert.equal(await store.read(`${"0".repeat(40)}.webp`), null);
  }, { maxPages: 3 }));

/** A complete deck of `pages` pages whose images are `variant`'s (other variants share none). */
async function fullDeck(store: DeckStore, room: string, pages: number, variant: number) {
  const deck = store.create(room, pages);
  for (let page = 0; page < pages; page++) {
    for (const [w, h, name] of DECK_SIZES) {
      await store.put(room, deck.id, page, name, await slideImage(w, h, "webp", variant + page));
    }
  }
  return deck;
}

const filesOf = (deck: Deck) => deck.pages.flat().map((r) => r.url.slice("/slides/".length));
const stored = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("DeckStore.sweep(): a replaced deck's images go; the deck on show, a newer upload and `keep` stay", () =>
  withStore(async (store, dir) => {
    const old = await fullDeck(store, "r", 2, 10);
    store.shown(old);
    const shown = await fullDeck(store, "r", 1, 20);
    const newer = store.create("r", 1);
    await store.put("r", newer.id, 0, "800x600", await slideImage(800, 450, "webp", 30));
    store.shown(shown);
    const [kept, ...gone] = filesOf(old);
    const leftover = `${gone[0]}.crashed.part`;
    await Deno.writeFile(`${dir}/${leftover}`, new Uint8Array(10));
    const deleted = await store.sweep(new Set([kept]), () => false);
    assert.deepEqual(deleted.sort(), [...gone, leftover].sort());
    assert.deepEqual(stored(dir), [kept, ...filesOf(shown), ...filesOf(newer)].sort());
    assert.throws(() => store.get("r", old.id), /no such deck/);
    assert.equal(store.get("r", newer.id).pages[0].length, 1);
  }));

Deno.test("DeckStore.sweep(): an ended room's decks stay while it is pinned; an image another deck uses stays", () =>
  withStore(async (store, dir) => {
    const a = await fullDeck(store, "room1", 2, 40);
    store.shown(a);
    const b = await fullDeck(store, "room2", 1, 41); // its page 0 is a's page 1
    store.shown(b);
    store.closeRoom("room1");
    assert.deepEqual(await store.sweep(new Set(), (room) => room === "room1"), []);
    assert.equal(store.get("room1", a.id), a);
    const deleted = await store.sweep(new Set(), () => false);
    assert.deepEqual(deleted.sort(), filesOf(a).filter((f) => !filesOf(b).includes(f)).sort());
    assert.deepEqual(stored(dir), filesOf(b).sort());
  }));

Deno.test("DeckStore: past maxDecks the oldest deck not on show is forgotten, never the shown one", () =>
  withStore(async (store) => {
    const shown = await fullDeck(store, "r", 1, 60);
    store.shown(shown);
    const a = store.create("r", 1);
    const b = store.create("r", 1);
    assert.equal(store.get("r", shown.id), shown);
    assert.throws(() => store.get("r", a.id), /no such deck/);
    assert.equal(store.get("r", b.id), b);
  }, { maxDecks: 2 }));

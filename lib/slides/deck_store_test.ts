import assert from "node:assert/strict";
import { slideImage } from "../../tests/slide_images.ts";
import { DeckStore } from "./deck_store.ts";

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
    const sizes = [[800, 450, "800x600"], [1024, 576, "1024x768"], [1280, 720, "1280x720"], [
      1920,
      1080,
      "1920x1080",
    ]] as const;
    for (let page = 0; page < 2; page++) {
      for (const [w, h, name] of sizes) {
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

import assert from "node:assert/strict";
import { slideImage } from "../../tests/slide_images.ts";
import { memoryLogger } from "../log.ts";
import { DeckStore } from "./deck_store.ts";
import { SlideSweeper } from "./slide_sweeper.ts";

/** A store in a temporary directory holding one deck of room "r" with one image. */
async function oneImage() {
  const dir = await Deno.makeTempDir();
  const decks = new DeckStore(dir);
  const deck = decks.create("r", 1);
  const { rendition } = await decks.put("r", deck.id, 0, "800x600", await slideImage(800, 450));
  const path = `${dir}${rendition.url.slice("/slides".length)}`;
  return { dir, decks, deck, path, exists: () => Deno.stat(path).then(() => true, () => false) };
}

Deno.test("SlideSweeper: a lesson that finishes writing while recordings are read keeps its room's images", async () => {
  const { dir, decks, exists } = await oneImage();
  try {
    const pins = [new Set(["r"])];
    const log = memoryLogger();
    const sweeper = new SlideSweeper({
      decks,
      // The recording was in progress when the sweep began and finished before the deletes.
      pinnedRooms: () => pins.shift() ?? new Set(),
      recorded: () => Promise.resolve(new Set()),
      log,
    });
    decks.closeRoom("r");
    await sweeper.sweep();
    assert.equal(await exists(), true, "pinned when the sweep began");
    await sweeper.sweep();
    assert.equal(await exists(), false, "a later sweep finds nothing that needs it");
    assert.deepEqual(log.lines, ["info slides: deleted 1 image no deck or recording uses"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SlideSweeper: sweeps asked during one run once more after it; a failure is logged", async () => {
  const { dir, decks, exists } = await oneImage();
  try {
    let reads = 0;
    const log = memoryLogger();
    const sweeper = new SlideSweeper({
      decks,
      pinnedRooms: () => new Set(),
      recorded: () =>
        ++reads === 1 ? Promise.reject(new Error("disk gone")) : Promise.resolve(new Set()),
      log,
    });
    decks.closeRoom("r");
    const asked = [sweeper.sweep(), sweeper.sweep(), sweeper.sweep()];
    await Promise.all(asked);
    await sweeper.settled();
    assert.equal(reads, 2);
    assert.equal(await exists(), false);
    assert.deepEqual(log.lines, [
      "error slides: deleting unused images failed: disk gone",
      "info slides: deleted 1 image no deck or recording uses",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

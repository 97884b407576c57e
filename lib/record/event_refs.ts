/**
 * What the recordings on disk refer to in their event logs: every name a
 * pattern finds in each `<root>/<id>/events.jsonl` (e.g. slide image URLs,
 * which the slide store must then keep). A log is read again only when its
 * size or modification time changed, so asking after every change of slides
 * costs a directory listing and a stat per recording. A recording deleted
 * from disk stops counting at the next `collect()`.
 */
import { EVENTS_FILE } from "./meta.ts";

export class EventRefs {
  readonly #root: string;
  readonly #pattern: RegExp;
  /** Per recording id: its log's size and mtime when read, and what it named. */
  #cache = new Map<string, { stamp: string; names: string[] }>();

  /** `pattern` must be global; its first group is the name collected. */
  constructor(root: string, pattern: RegExp) {
    if (!pattern.global) throw new Error("EventRefs needs a global pattern");
    this.#root = root;
    this.#pattern = pattern;
  }

  /** Every name some recording's event log holds now. */
  async collect(): Promise<Set<string>> {
    const names = new Set<string>();
    const seen = new Set<string>();
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(this.#root));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return names;
      throw err;
    }
    for (const entry of entries) {
      if (!entry.isDirectory) continue;
      seen.add(entry.name);
      for (const name of await this.#namesOf(entry.name)) names.add(name);
    }
    for (const id of this.#cache.keys()) if (!seen.has(id)) this.#cache.delete(id);
    return names;
  }

  async #namesOf(id: string): Promise<string[]> {
    const path = `${this.#root}/${id}/${EVENTS_FILE}`;
    try {
      const info = await Deno.stat(path);
      const stamp = `${info.size}:${info.mtime?.getTime()}`;
      const cached = this.#cache.get(id);
      if (cached?.stamp === stamp) return cached.names;
      const text = await Deno.readTextFile(path);
      const names = [...new Set([...text.matchAll(this.#pattern)].map((m) => m[1]))];
      this.#cache.set(id, { stamp, names });
      return names;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return [];
      throw err;
    }
  }
}

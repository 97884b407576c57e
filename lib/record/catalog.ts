/**
 * The recordings the server has: finished ones as stored on disk, those in
 * progress as the recorder knows them now. Reads meta.json on each call (a
 * server holds hundreds of recordings at most, and files change under it:
 * retention, deletes), so there is no cache to go stale.
 */
import { ConflictError, NotFoundError, UserError } from "../errors.ts";
import { cleanTitle } from "../hub/room.ts";
import { readMeta, RECORDING_ID, type RecordingMeta, writeMeta } from "./meta.ts";
import type { Recorder } from "./recorder.ts";

export interface RecordingChange {
  title?: string;
  unlisted?: boolean;
}

export class Catalog {
  readonly root: string;
  #recorder: Recorder | null;

  constructor(root: string, recorder: Recorder | null) {
    this.root = root;
    this.#recorder = recorder;
  }

  /** Every recording, newest first. */
  async list(): Promise<RecordingMeta[]> {
    const out: RecordingMeta[] = [];
    try {
      for await (const entry of Deno.readDir(this.root)) {
        if (!entry.isDirectory || !RECORDING_ID.test(entry.name)) continue;
        const meta = await this.find(entry.name);
        if (meta) out.push(meta);
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    return out.sort((a, b) => b.startedAt - a.startedAt);
  }

  /** The recording with this id, or undefined (also for ids that cannot be recording ids). */
  async find(id: string): Promise<RecordingMeta | undefined> {
    if (!RECORDING_ID.test(id)) return undefined;
    const live = this.#recorder?.live(id);
    if (live) return live.meta;
    const meta = await readMeta(this.dir(id));
    return meta?.id === id ? meta : undefined;
  }

  /** The recording with this id; NotFoundError when there is none. */
  async get(id: string): Promise<RecordingMeta> {
    const meta = await this.find(id);
    if (!meta) {
      throw new NotFoundError("no such recording; it may have been deleted. Check the link");
    }
    return meta;
  }

  /** Directory of a recording (the id must have been checked with `find()`/`get()`). */
  dir(id: string): string {
    return `${this.root}/${id}`;
  }

  /** Renames or (un)lists a recording; also while it is recorded. */
  async update(id: string, change: RecordingChange): Promise<RecordingMeta> {
    const live = this.#recorder?.live(id);
    if (change.title !== undefined) change.title = cleanTitle(change.title);
    if (live) {
      live.update(change);
      return live.meta;
    }
    const meta = await this.get(id);
    if (change.title !== undefined) meta.title = change.title;
    if (change.unlisted !== undefined) meta.unlisted = change.unlisted;
    await writeMeta(this.dir(id), meta);
    return meta;
  }

  /** Deletes a finished recording and its files. ConflictError while it is recorded. */
  async delete(id: string): Promise<void> {
    await this.get(id);
    if (this.#recorder?.live(id)) {
      throw new ConflictError(
        "this lesson is still being recorded; stop the live stream first, then delete it",
      );
    }
    await Deno.remove(this.dir(id), { recursive: true });
  }
}

/** Checks a PATCH body's fields; UserError says what to send. */
export function parseChange(body: Record<string, unknown>): RecordingChange {
  const change: RecordingChange = {};
  if (body.title !== undefined) {
    if (typeof body.title !== "string") throw new UserError('"title" must be a string');
    change.title = body.title;
  }
  if (body.unlisted !== undefined) {
    if (typeof body.unlisted !== "boolean") throw new UserError('"unlisted" must be true or false');
    change.unlisted = body.unlisted;
  }
  if (change.title === undefined && change.unlisted === undefined) {
    throw new UserError('send {"title": "..."} to rename or {"unlisted": true} to hide the lesson');
  }
  return change;
}

/**
 * `lesson.zip` for a recording in the catalog: reads its events, opens its
 * media files one after the other as the archive streams (lesson_export.ts
 * decides the contents, zip_stream.ts the bytes). The only module of the
 * export that touches the file system.
 */
import type { Catalog } from "../record/catalog.ts";
import { readEvents } from "../record/events_file.ts";
import { recordingView } from "../record/recording_view.ts";
import type { BuiltAssets } from "../web/assets.ts";
import { parseEvents } from "./events.ts";
import { fileName, lessonEntries, zipFileName } from "./lesson_export.ts";
import { parseRecording } from "./recording.ts";
import { zipStream } from "./zip_stream.ts";

export interface LessonZip {
  body: ReadableStream<Uint8Array>;
  fileName: string;
}

/** The archive of recording `id`; NotFoundError (404) when there is no such recording. */
export async function lessonZip(
  catalog: Catalog,
  id: string,
  assets: BuiltAssets,
): Promise<LessonZip> {
  const meta = await catalog.get(id);
  const dir = catalog.dir(meta.id);
  const recording = parseRecording(recordingView(meta))!;
  const events = parseEvents(await readEvents(dir));
  const media = recording.tracks.flatMap((t) => t.parts).map((p) => fileName(p.url))
    .filter((name) => name !== "")
    .map((name) => ({
      name,
      open: async () => (await Deno.open(`${dir}/${name}`)).readable,
    }));
  return {
    body: zipStream(lessonEntries(recording, events, media, assets), new Date(meta.startedAt)),
    fileName: zipFileName(recording),
  };
}

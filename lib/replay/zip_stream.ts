/**
 * A ZIP archive as a byte stream, built while it is read: entries are stored
 * (no compression: media is compressed already) with fflate's `ZipPassThrough`,
 * each file read chunk by chunk only when the consumer asks for more bytes.
 * Memory stays at about one read chunk whatever the size of the lesson, and a
 * client that goes away cancels the file being read.
 *
 * Sizes and CRCs go in data descriptors after each entry, so a file that is
 * still growing (a lesson being recorded) is zipped as far as it was read.
 * Limit: no ZIP64, so an archive must stay under 4 GiB.
 */
import { Zip, ZipPassThrough } from "fflate";

/** One file of the archive: bytes in memory, or a stream opened when its turn comes. */
export interface ZipEntry {
  /** Path inside the archive ("camera.webm"). */
  name: string;
  data?: Uint8Array;
  open?: () => Promise<ReadableStream<Uint8Array>>;
}

/** Streams `entries` as one ZIP file; `mtime` is every entry's modification time. */
export function zipStream(
  entries: readonly ZipEntry[],
  mtime = new Date(),
): ReadableStream<Uint8Array> {
  const zip = new Zip();
  const out: Uint8Array[] = [];
  let finished = false;
  let failed: Error | null = null;
  zip.ondata = (err, chunk, final) => {
    if (err) failed = err;
    else if (chunk.byteLength > 0) out.push(chunk);
    if (final) finished = true;
  };
  let next = 0;
  let ended = false;
  let entry: ZipPassThrough | null = null;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;

  /** Moves the archive on by one step: a new entry, one chunk of a file, or the end. */
  const step = async () => {
    if (!entry) {
      if (next >= entries.length) {
        if (!ended) zip.end();
        ended = true;
        return;
      }
      const src = entries[next++];
      entry = new ZipPassThrough(src.name);
      entry.mtime = mtime;
      zip.add(entry);
      if (src.data || !src.open) {
        entry.push(src.data ?? new Uint8Array(0), true);
        entry = null;
        return;
      }
      reader = (await src.open()).getReader();
    }
    const { value, done } = await reader!.read();
    if (done) {
      entry.push(new Uint8Array(0), true);
      entry = null;
      reader = null;
    } else if (value.byteLength > 0) {
      entry.push(value);
    }
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (out.length === 0 && !finished && !failed) await step();
      if (failed) return controller.error(failed);
      for (const chunk of out.splice(0)) controller.enqueue(chunk);
      if (finished) controller.close();
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/**
 * Turning a finished fragmented MP4 part (Safari's MediaRecorder, ffmpeg
 * `frag_keyframe`) into a regular MP4 whose `moov` indexes every sample, so
 * players seek in it without scanning fragments. Done with mediabunny (a
 * maintained pure-TypeScript muxer/demuxer): packets are copied, never
 * re-encoded. Writes `<path>.remux` next to the part and renames it over the
 * part only when complete, so a crash mid-remux leaves the fragmented file.
 * Measured in bench/finalize_bench.ts.
 */
import {
  ALL_FORMATS,
  Conversion,
  FilePathSource,
  FilePathTarget,
  Input,
  Mp4OutputFormat,
  Output,
} from "mediabunny";

/** Remuxes `path` in place; resolves to its new size and duration (ms). Throws when it cannot. */
export async function remuxToMp4(path: string): Promise<{ bytes: number; durationMs: number }> {
  const tmp = `${path}.remux`;
  const input = new Input({ source: new FilePathSource(path), formats: ALL_FORMATS });
  try {
    const output = new Output({
      // moov after mdat: written in one pass, never held in memory; players fetch it by range.
      format: new Mp4OutputFormat({ fastStart: false }),
      target: new FilePathTarget(tmp),
    });
    const conversion = await Conversion.init({ input, output });
    if (!conversion.isValid) {
      const why = conversion.discardedTracks.map((t) => t.reason).join(", ");
      throw new Error(`mediabunny cannot remux it (${why})`);
    }
    await conversion.execute();
    const durationMs = Math.round((await input.computeDuration()) * 1000);
    await Deno.rename(tmp, path);
    return { bytes: (await Deno.stat(path)).size, durationMs };
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  } finally {
    input.dispose();
  }
}

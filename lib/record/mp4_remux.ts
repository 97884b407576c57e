/**
 * Turning a finished fragmented MP4 part (Safari's MediaRecorder, ffmpeg
 * `frag_keyframe`) into a regular MP4 whose `moov` indexes every sample, so
 * players seek in it without scanning fragments. Done with mediabunny (a
 * maintained pure-TypeScript muxer/demuxer): packets are copied, never
 * re-encoded. Writes `<path>.remux` next to the part and renames it over the
 * part only when complete, so a crash mid-remux leaves the fragmented file.
 * Measured in bench/finalize_bench.ts.
 *
 * Damaged codec data (an H.264 SPS or avcC a broken encoder wrote) makes
 * mediabunny log the parse error, often a RangeError with its stack, to the
 * console and go on copying packets. Its console output is turned off here;
 * what it reports during a remux comes back as one line in `warning`, for
 * the recording's log.
 */
import {
  ALL_FORMATS,
  Conversion,
  FilePathSource,
  FilePathTarget,
  Input,
  Logging,
  LogLevel,
  Mp4OutputFormat,
  Output,
} from "mediabunny";

Logging.level = LogLevel.Silent;
/** The remuxes in progress, each hearing what mediabunny reports meanwhile. */
const listeners = new Set<(line: string) => void>();
for (const level of ["error", "warn"] as const) {
  Logging.on(level, (args) => {
    const line = args.map((a) => a instanceof Error ? `${a.name}: ${a.message}` : String(a))
      .join(" ");
    for (const listener of listeners) listener(line);
  });
}

export interface Remuxed {
  bytes: number;
  durationMs: number;
  /** What mediabunny reported about the file (damaged codec data), in one line; null if nothing. */
  warning: string | null;
}

/** Remuxes `path` in place; resolves to its new size and duration (ms). Throws when it cannot. */
export async function remuxToMp4(path: string): Promise<Remuxed> {
  const tmp = `${path}.remux`;
  const reports: string[] = [];
  const listener = (line: string) => void reports.push(line);
  listeners.add(listener);
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
    return { bytes: (await Deno.stat(path)).size, durationMs, warning: summary(reports) };
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  } finally {
    listeners.delete(listener);
    input.dispose();
  }
}

/** "remuxed, but mediabunny reported: FIRST (and N more)", or null for nothing reported. */
function summary(reports: string[]): string | null {
  if (reports.length === 0) return null;
  const more = reports.length > 1 ? ` (and ${reports.length - 1} more)` : "";
  return `remuxed, but its codec data is damaged: ${reports[0]}${more}`;
}

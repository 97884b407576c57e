/**
 * Helpers for the lib/record tests (not part of the library): fixture
 * segments as the hub would hand them, and ffprobe's view of a file.
 */
import { coalesce } from "../media/coalesce.ts";
import { WebmDemuxer } from "../media/webm.ts";
import { Mp4Demuxer } from "../media/mp4.ts";
import type { Segment } from "../media/segment.ts";
import { fixturePath, recordedChunks } from "../media/_testing.ts";

/** A fixture as the hub gets it: split like MediaRecorder's chunks (when recorded), coalesced per push. */
export function fixtureSegments(name: string): Segment[] {
  const path = fixturePath(name);
  const bytes = Deno.readFileSync(path);
  const demuxer = path.endsWith(".mp4") ? new Mp4Demuxer() : new WebmDemuxer();
  const sizes = recordedChunks(path) ?? [bytes.length];
  const out: Segment[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push(...coalesce(demuxer.push(bytes.subarray(at, at += size))));
  }
  if (at < bytes.length) out.push(...coalesce(demuxer.push(bytes.subarray(at))));
  out.push(...coalesce(demuxer.end()));
  return out;
}

export interface Probe {
  duration: number | null;
  streams: number;
}

/** ffprobe's format duration (from the header, -1 read not needed) and stream count. */
export async function probe(path: string, extra: string[] = []): Promise<Probe> {
  const { code, stdout, stderr } = await new Deno.Command("ffprobe", {
    args: [
      "-v",
      "error",
      ...extra,
      "-of",
      "json",
      "-show_entries",
      "format=duration:stream=index",
      path,
    ],
  }).output();
  if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
  const json = JSON.parse(new TextDecoder().decode(stdout));
  const duration = json.format?.duration;
  return {
    duration: duration === undefined ? null : Number(duration),
    streams: json.streams?.length ?? 0,
  };
}

/** ffmpeg's complaints decoding `path` (empty when clean), with `args` before -i. */
export async function decodeErrors(path: string, args: string[] = []): Promise<string> {
  const { code, stderr } = await new Deno.Command("ffmpeg", {
    // Every frame at its own timestamp (the input's 1 ms time base): a canvas track's variable
    // frame rate must not be forced onto ffmpeg's guessed rate, which reports two frames 14 ms
    // apart as a "non monotonically increasing dts" of its own making.
    args: [
      "-hide_banner",
      "-nostdin",
      "-v",
      "error",
      ...args,
      "-i",
      path,
      "-fps_mode",
      "passthrough",
      "-enc_time_base",
      "-1",
      "-f",
      "null",
      "-",
    ],
  }).output();
  const text = new TextDecoder().decode(stderr).trim();
  return text || (code === 0 ? "" : `ffmpeg exited with code ${code}`);
}

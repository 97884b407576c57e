/**
 * A 1 Mbit/s live WebM for load tests, made once with ffmpeg and cut into
 * ~100 ms chunks the way a browser's MediaRecorder delivers them. Each chunk
 * lists the media timestamps it carries so a load generator can tell, for
 * every frame a viewer receives, when the publisher sent it.
 */
import { concat } from "../lib/media/bytes.ts";
import { createDemuxer } from "../lib/media/detect.ts";

export interface StreamChunk {
  /** Media time of the chunk's first piece, ms from the stream's start. */
  atMs: number;
  bytes: Uint8Array;
  /** Timestamps of every piece in the chunk (a coalesced segment carries one of them). */
  timestamps: number[];
}

export interface StreamSource {
  mime: string;
  bitsPerSecond: number;
  durationMs: number;
  chunks: StreamChunk[];
}

const DIR = `${Deno.env.get("TMPDIR") ?? "/tmp"}/chalkcast-bench`;

async function encode(path: string, seconds: number, kbps: number): Promise<void> {
  await Deno.mkdir(DIR, { recursive: true });
  const { code, stderr } = await new Deno.Command("ffmpeg", {
    args: [
      "-hide_banner",
      "-nostdin",
      "-v",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=640x360:rate=30",
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:sample_rate=48000",
      "-t",
      String(seconds),
      "-c:v",
      "libvpx",
      "-deadline",
      "realtime",
      "-cpu-used",
      "16",
      "-threads",
      "2",
      "-b:v",
      `${kbps}k`,
      "-minrate",
      `${kbps}k`,
      "-maxrate",
      `${kbps}k`,
      "-g",
      "30",
      "-c:a",
      "libopus",
      "-b:a",
      "64k",
      "-live",
      "1",
      "-f",
      "webm",
      path,
    ],
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`ffmpeg failed: ${new TextDecoder().decode(stderr)}`);
}

/**
 * Seconds of source a fan-out run of `seconds` measured needs: warm-up, the
 * window and the hold after it (bench/fanout_bench.ts), with room to spare.
 */
export function sourceSeconds(seconds: number): number {
  return Math.max(30, seconds + 15);
}

/** Loads (making it first if needed) `seconds` of VP8+Opus (video at `kbps`, 900 by default: 1 Mbit/s in all), cut into 100 ms chunks. */
export async function streamSource(seconds = 30, chunkMs = 100, kbps = 900): Promise<StreamSource> {
  const path = `${DIR}/vp8-opus-${kbps}k-${seconds}s.webm`;
  try {
    await Deno.stat(path);
  } catch {
    await encode(path, seconds, kbps);
  }
  return cutStream(await Deno.readFile(path), chunkMs);
}

/** A live WebM's bytes cut into `chunkMs` chunks the way a MediaRecorder delivers them. */
export function cutStream(bytes: Uint8Array, chunkMs: number): StreamSource {
  const demuxer = createDemuxer();
  const segments = [...demuxer.push(bytes), ...demuxer.end()];
  const init = segments.find((s) => s.type === "init");
  if (!init || init.type !== "init") throw new Error("no init segment");
  const chunks: StreamChunk[] = [];
  let current: { atMs: number; parts: Uint8Array[]; timestamps: number[] } | null = null;
  const flush = () => {
    if (!current) return;
    chunks.push({
      atMs: current.atMs,
      bytes: concat(current.parts),
      timestamps: current.timestamps,
    });
  };
  for (const s of segments) {
    if (s.type !== "media") continue;
    if (!current || s.timestampMs - current.atMs >= chunkMs) {
      flush();
      current = {
        atMs: s.timestampMs,
        parts: chunks.length === 0 && !current ? [init.bytes] : [],
        timestamps: [],
      };
    }
    current.parts.push(s.bytes);
    current.timestamps.push(s.timestampMs);
  }
  flush();
  const durationMs = chunks[chunks.length - 1].atMs - chunks[0].atMs;
  return {
    mime: init.mime,
    bitsPerSecond: (bytes.length * 8) / (durationMs / 1000),
    durationMs,
    chunks,
  };
}

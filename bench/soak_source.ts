/**
 * An endless live WebM for the soak benchmark: one minute of VP8+Opus made
 * once with ffmpeg, cut into ~100 ms chunks, and replayed in loops with each
 * Cluster Timestamp moved on by the loop's length, so the server sees one
 * continuous stream for hours (no restart, no second init) from a few MB.
 *
 * The source is encoded with a 1000 s timestamp offset so every Cluster
 * Timestamp is written with 3 bytes and can be rewritten in place for about
 * 4 hours of loops. Every chunk lists the timestamps its pieces carry, so a
 * viewer can map each segment it receives back to the chunk that carried it.
 */
import { concat } from "../lib/media/bytes.ts";
import { createDemuxer } from "../lib/media/detect.ts";
import { ElementHeader, Id, readElementHeader } from "../lib/media/ebml.ts";

export interface SoakChunk {
  /** Media time of the chunk's first piece in the first loop, ms. */
  atMs: number;
  bytes: Uint8Array;
  timestamps: number[];
  /** Where Cluster Timestamp bodies (3 bytes) sit in `bytes`. */
  patches: number[];
}

export interface SoakSource {
  mime: string;
  init: Uint8Array;
  chunks: SoakChunk[];
  /** How far each loop moves timestamps on, ms. */
  loopMs: number;
  /** Timestamp of the first chunk in loop 0. */
  firstMs: number;
  bitsPerSecond: number;
}

const DIR = `${Deno.env.get("TMPDIR") ?? "/tmp"}/chalkcast-bench`;

async function encode(path: string, seconds: number, kbps: number): Promise<void> {
  await Deno.mkdir(DIR, { recursive: true });
  const { code, stderr } = await new Deno.Command("ffmpeg", {
    args: [
      ...["-hide_banner", "-nostdin", "-v", "error", "-y"],
      ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30"],
      ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"],
      ...["-t", String(seconds), "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "16"],
      ...["-threads", "2", "-b:v", `${kbps}k`, "-minrate", `${kbps}k`, "-maxrate", `${kbps}k`],
      ...["-g", "30", "-c:a", "libopus", "-b:a", "64k", "-output_ts_offset", "1000"],
      ...["-live", "1", "-f", "webm", path],
    ],
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`ffmpeg failed: ${new TextDecoder().decode(stderr)}`);
}

/** Where the Cluster Timestamp body sits in a piece that opens a cluster, or -1. */
function timestampAt(piece: Uint8Array): number {
  const h = new ElementHeader();
  const clusterHeader = readElementHeader(piece, 0, piece.length, 0, h);
  if (clusterHeader === 0 || h.id !== Id.Cluster) return -1;
  const t = new ElementHeader();
  const tsHeader = readElementHeader(piece, clusterHeader, piece.length, clusterHeader, t);
  if (tsHeader === 0 || t.id !== Id.Timestamp) return -1;
  if (t.size !== 3) throw new Error(`Cluster Timestamp of ${t.size} bytes; expected 3`);
  return clusterHeader + tsHeader;
}

export async function soakSource(seconds = 60, chunkMs = 100, kbps = 900): Promise<SoakSource> {
  const path = `${DIR}/soak-vp8-opus-${kbps}k-${seconds}s.webm`;
  try {
    await Deno.stat(path);
  } catch {
    await encode(path, seconds, kbps);
  }
  const file = await Deno.readFile(path);
  const demuxer = createDemuxer();
  const segments = [...demuxer.push(file), ...demuxer.end()];
  const init = segments.find((s) => s.type === "init");
  if (!init || init.type !== "init") throw new Error("no init segment");
  const chunks: SoakChunk[] = [];
  let parts: Uint8Array[] = [];
  let current: SoakChunk | null = null;
  let at = 0;
  const flush = () => {
    if (!current) return;
    current.bytes = concat(parts);
    chunks.push(current);
  };
  for (const s of segments) {
    if (s.type !== "media") continue;
    if (!current || s.timestampMs - current.atMs >= chunkMs) {
      flush();
      current = { atMs: s.timestampMs, bytes: new Uint8Array(0), timestamps: [], patches: [] };
      parts = [];
      at = 0;
    }
    if (s.start) {
      const p = timestampAt(s.bytes);
      if (p >= 0) current.patches.push(at + p);
    }
    parts.push(s.bytes);
    at += s.bytes.length;
    current.timestamps.push(s.timestampMs);
  }
  flush();
  const firstMs = chunks[0].atMs;
  const last = chunks[chunks.length - 1];
  const loopMs = Math.ceil(Math.max(...last.timestamps) - firstMs + chunkMs);
  return {
    mime: init.mime,
    init: init.bytes,
    chunks,
    loopMs,
    firstMs,
    bitsPerSecond: (file.length * 8) / (loopMs / 1000),
  };
}

/** Chunk `i` of loop `loop`: a copy with every Cluster Timestamp moved on by `loop * loopMs`. */
export function loopChunk(source: SoakSource, loop: number, i: number): Uint8Array {
  const chunk = source.chunks[i];
  if (loop === 0) return chunk.bytes;
  const out = chunk.bytes.slice();
  for (const p of chunk.patches) {
    const value = ((out[p] << 16) | (out[p + 1] << 8) | out[p + 2]) + loop * source.loopMs;
    if (value >= 2 ** 24) throw new Error("soak ran past the 3-byte Cluster Timestamp range");
    out[p] = value >> 16;
    out[p + 1] = (value >> 8) & 255;
    out[p + 2] = value & 255;
  }
  return out;
}

/**
 * Helpers shared by the lib/media tests (not part of the library): fixture
 * lists, a seeded PRNG, random chunking, and ffprobe's view of a fixture.
 */

import { type Demuxer, type MediaSegment, type Segment } from "./segment.ts";

const ROOT = new URL("../../tests/fixtures/", import.meta.url);

/** Fixture files (.webm/.mkv/.mp4) from tests/fixtures/ffmpeg and, if recorded, tests/fixtures/chromium. */
export function fixtures(): string[] {
  const paths: string[] = [];
  for (const dir of ["ffmpeg", "chromium"]) {
    try {
      for (const entry of Deno.readDirSync(new URL(dir, ROOT))) {
        if (!entry.isFile || entry.name.startsWith("bad-")) continue;
        if (!/\.(webm|mkv|mp4)$/.test(entry.name)) continue;
        paths.push(new URL(`${dir}/${entry.name}`, ROOT).pathname);
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return paths.sort();
}

export function fixturePath(name: string): string {
  return new URL(name, ROOT).pathname;
}

/** The recorded MediaRecorder chunk sizes next to a Chromium fixture, if any. */
export function recordedChunks(path: string): number[] | undefined {
  try {
    const json = JSON.parse(Deno.readTextFileSync(path.replace(/\.\w+$/, ".chunks.json")));
    return Array.isArray(json.chunks) ? json.chunks : undefined;
  } catch {
    return undefined;
  }
}

export function label(path: string): string {
  return path.split("/").slice(-2).join("/");
}

/** mulberry32: a tiny deterministic PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feeds `data` to `demuxer` in chunks of 1..maxChunk bytes (or whole) and ends it. */
export function feed(
  demuxer: Demuxer,
  data: Uint8Array,
  random?: () => number,
  maxChunk = 1,
): Segment[] {
  const out: Segment[] = [];
  if (!random) {
    out.push(...demuxer.push(data));
  } else {
    for (let i = 0; i < data.length;) {
      const n = 1 + Math.floor(random() * maxChunk);
      out.push(...demuxer.push(data.subarray(i, i + n)));
      i += n;
    }
  }
  out.push(...demuxer.end());
  return out;
}

export { concat } from "./bytes.ts";

export function media(segments: readonly Segment[]): MediaSegment[] {
  return segments.filter((s): s is MediaSegment => s.type === "media");
}

export interface Packet {
  stream: number;
  kind: "video" | "audio";
  /** Decode time in ms (falls back to pts). */
  dtsMs: number;
  /** Presentation time in ms (falls back to dts). */
  ptsMs: number;
  pos: number;
  key: boolean;
}

/** Packets as ffprobe sees them, in file order: stream kind, dts in ms, byte position, K flag. */
export async function probePackets(path: string): Promise<Packet[]> {
  const run = async (args: string[]) => {
    const { code, stdout, stderr } = await new Deno.Command("ffprobe", {
      args: ["-v", "error", "-of", "json", ...args, path],
    }).output();
    if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
    return JSON.parse(new TextDecoder().decode(stdout));
  };
  const streams: { index: number; codec_type: string }[] =
    (await run(["-show_entries", "stream=index,codec_type"])).streams;
  const kinds = new Map(streams.map((s) => [s.index, s.codec_type]));
  const packets: {
    stream_index: number;
    dts_time?: string;
    pts_time?: string;
    pos?: string;
    flags: string;
  }[] = (await run(["-show_entries", "packet=stream_index,dts_time,pts_time,pos,flags"])).packets;
  return packets.map((p) => ({
    stream: p.stream_index,
    kind: kinds.get(p.stream_index) === "video" ? "video" : "audio",
    dtsMs: Number(p.dts_time ?? p.pts_time) * 1000,
    ptsMs: Number(p.pts_time ?? p.dts_time) * 1000,
    pos: Number(p.pos),
    key: p.flags.startsWith("K"),
  }));
}

/**
 * Finishing a 1-hour recorded WebM part: a synthetic hour (the head of a
 * real Chromium recording, then 1,800 two-second clusters of 30 fps video
 * blocks and 50/s audio blocks, ~120 MB) is written through PartFile as the
 * recorder writes it, then finished (Cues, Duration, SeekHead, sizes). Also
 * times repairing the same hour after a simulated crash (a scan of the whole
 * file). Target (not asserted): finishing ≤ 2 s, no rewrite of the file.
 * ffprobe must then read 3600 s from the header. Then the MP4 side: an hour
 * of fragmented MP4 (a fixture looped by `ffmpeg -c copy`) remuxed into a
 * regular MP4 by mediabunny (a full rewrite: time and peak memory shown).
 * Usage: deno run -A bench/finalize_bench.ts [minutes]
 */
import { Id } from "../lib/media/ebml.ts";
import type { InitSegment, MediaSegment } from "../lib/media/segment.ts";
import {
  concatBytes,
  element,
  idBytes,
  uintElement,
  UNKNOWN_SIZE_8,
} from "../lib/record/ebml_writer.ts";
import { PartFile } from "../lib/record/part_file.ts";
import { repairWebm } from "../lib/record/repair.ts";
import { remuxToMp4 } from "../lib/record/mp4_remux.ts";
import { fixtureSegments } from "../lib/record/_testing.ts";

const minutes = Number(Deno.args[0] ?? 60);
const CLUSTER_MS = 2000;

function block(track: number, relative: number, keyframe: boolean, size: number): Uint8Array {
  const body = new Uint8Array(4 + size);
  body[0] = 0x80 | track;
  body[1] = (relative >> 8) & 0xff;
  body[2] = relative & 0xff;
  body[3] = keyframe ? 0x80 : 0;
  return element(Id.SimpleBlock, body);
}

/** One cluster as the demuxer hands it on: a start piece (head + first video block), then blocks. */
function cluster(timeMs: number): MediaSegment[] {
  const head = concatBytes([
    idBytes(Id.Cluster),
    UNKNOWN_SIZE_8,
    uintElement(Id.Timestamp, timeMs),
    block(1, 0, true, 6000),
  ]);
  const out: MediaSegment[] = [{
    type: "media",
    start: true,
    keyframe: true,
    timestampMs: timeMs,
    bytes: head,
  }];
  for (let i = 1; i < 60; i++) {
    const rel = Math.round((i * 1000) / 30);
    const audio = block(2, rel, true, 120);
    out.push({
      type: "media",
      start: false,
      keyframe: false,
      timestampMs: timeMs + rel,
      bytes: concatBytes([block(1, rel, false, 800), audio]),
    });
  }
  return out;
}

const init = fixtureSegments("chromium/vp8-opus.webm")[0] as InitSegment;
const dir = await Deno.makeTempDir({ prefix: "chalkcast-finalize-" });
try {
  const path = `${dir}/camera.webm`;
  const part = new PartFile(path, init, (err) => {
    throw err;
  });
  const t0 = performance.now();
  const clusters = (minutes * 60_000) / CLUSTER_MS;
  for (let c = 0; c < clusters; c++) {
    for (const s of cluster(c * CLUSTER_MS)) part.append(s);
    if (c % 50 === 0) await part.sync(); // as the recorder does, every 2 s of media
  }
  await part.sync();
  const written = performance.now() - t0;
  const size = (await Deno.stat(path)).size;
  const copy = `${dir}/crashed.webm`;
  await Deno.copyFile(path, copy);
  const t1 = performance.now();
  await part.finish();
  const finish = performance.now() - t1;
  const t2 = performance.now();
  await repairWebm(copy);
  const repair = performance.now() - t2;
  const { stdout } = await new Deno.Command("ffprobe", {
    args: ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
  }).output();
  const probed = new TextDecoder().decode(stdout).trim();
  console.log(
    `${minutes} min part: ${(size / 1e6).toFixed(0)} MB, ${clusters} clusters, written in ${
      (written / 1000).toFixed(1)
    } s`,
  );
  console.log(
    `finish (Cues + Duration + SeekHead + cluster sizes): ${
      finish.toFixed(0)
    } ms (target ≤ 2000 ms)`,
  );
  console.log(`repair after a crash (scan + finish): ${repair.toFixed(0)} ms`);
  console.log(`ffprobe duration from the header: ${probed} s`);

  const mp4 = `${dir}/screen.mp4`;
  const fixture = new URL("../tests/fixtures/ffmpeg/h264-aac-g30.mp4", import.meta.url).pathname;
  const loops = Math.round((minutes * 60) / 4) - 1; // the fixture is 4 s
  const made = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-y", "-stream_loop", String(loops), "-i", fixture, "-c", "copy"]
      .concat(["-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", mp4]),
  }).output();
  if (made.code !== 0) throw new Error(new TextDecoder().decode(made.stderr));
  const before = (await Deno.stat(mp4)).size;
  const t3 = performance.now();
  const remuxed = await remuxToMp4(mp4);
  const remux = performance.now() - t3;
  const peak = Number(Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s+(\d+)/)![1]);
  console.log(
    `fragmented MP4, ${minutes} min, ${(before / 1e6).toFixed(0)} MB → regular MP4 ` +
      `(${(remuxed.durationMs / 1000).toFixed(0)} s) with mediabunny: ${remux.toFixed(0)} ms, ` +
      `process peak RSS ${(peak / 1024).toFixed(0)} MB`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}

/**
 * Parser throughput: feeds a fixture repeatedly (~200 MB in all) in 64 KiB
 * chunks to the WebM and MP4 demuxers (alone, then with coalesce()), and
 * prints MB/s, median and best of 5 runs. No assertions.
 * Run: deno run -A bench/parser_bench.ts [totalMB]
 */

import { coalesce } from "../lib/media/coalesce.ts";
import { createDemuxer } from "../lib/media/detect.ts";
import type { Segment } from "../lib/media/segment.ts";

const TOTAL = Number(Deno.args[0] ?? 200) * 1e6;
const CHUNK = 64 * 1024;
const FIXTURES = [
  "vp8-opus-live.webm",
  "vp8-opus-g30.webm",
  "h264-aac-g30.mp4",
  "h264-aac-frag100ms.mp4",
];

function run(data: Uint8Array, withCoalesce: boolean): { mbps: number; pieces: number } {
  // The same stream many times over: each repetition is a fresh stream (re-init).
  const demuxer = createDemuxer();
  let fed = 0, pieces = 0;
  const t0 = performance.now();
  while (fed < TOTAL) {
    for (let i = 0; i < data.length; i += CHUNK) {
      const out: Segment[] = demuxer.push(data.subarray(i, i + CHUNK));
      pieces += (withCoalesce ? coalesce(out) : out).length;
    }
    fed += data.length;
  }
  demuxer.end();
  return { mbps: fed / 1e6 / ((performance.now() - t0) / 1000), pieces };
}

/** Best and median of a few runs: the machine may be shared, so single runs are noisy. */
function measure(data: Uint8Array, withCoalesce: boolean, runs = 5) {
  const results = Array.from({ length: runs }, () => run(data, withCoalesce));
  const speeds = results.map((r) => r.mbps).sort((a, b) => a - b);
  return { best: speeds[runs - 1], median: speeds[runs >> 1], pieces: results[0].pieces };
}

const fmt = (n: number) => n.toFixed(0).padStart(5);
for (const name of FIXTURES) {
  const data = Deno.readFileSync(new URL(`../tests/fixtures/ffmpeg/${name}`, import.meta.url));
  run(data, false); // warm up
  const parse = measure(data, false);
  const both = measure(data, true);
  console.log(
    `${name.padEnd(24)} parse ${fmt(parse.median)} MB/s median, ${fmt(parse.best)} best` +
      ` | +coalesce ${fmt(both.median)} median, ${fmt(both.best)} best` +
      ` | ${(parse.pieces / (TOTAL / 1e6)).toFixed(0)} pieces/MB`,
  );
}

/**
 * Load generator for the pull-mode benchmark, run as its own process: N
 * viewers, each a real PullTrack (lib/client/pull_track.ts) on one track
 * through URL BASE (nginx, or the origin itself). They start together at an
 * absolute time (epoch ms, read from stdin after "ready"); the process notes
 * when each viewer got each piece, and at the end reads the origin's index to
 * learn each piece's media time, so it can say how long after it was due
 * (publisher pacing from START) each piece arrived. Prints one JSON line.
 * Usage: deno run -A bench/pull_load.ts BASE ORIGIN_INDEX_URL VIEWERS SECONDS FIRST_TS_MS
 */
import { PullTrack } from "../lib/client/pull_track.ts";

const [base, indexUrl, viewersArg, secondsArg, firstTsArg] = Deno.args;
const viewers = Number(viewersArg);
const seconds = Number(secondsArg);
const firstTs = Number(firstTsArg);
const WARMUP_MS = 3000;
const clock = () => performance.timeOrigin + performance.now();

console.log("ready");
const stdin = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
const startAt = Number((await stdin.read()).value);
const measureFrom = startAt + WARMUP_MS;
const endAt = measureFrom + seconds * 1000;
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - clock())));

/** Per piece n: when each viewer got it (epoch ms), within the measured window. */
const received = new Map<number, number[]>();
let pieces = 0;
let bytes = 0;
await sleepUntil(startAt);
const tracks = Array.from({ length: viewers }, () => {
  const t = new PullTrack({ base, fetch: (url, init) => fetch(url, init), retryMs: 250 });
  t.onMedia = (data, _key, n) => {
    const at = clock();
    if (at < measureFrom || at > endAt) return;
    pieces++;
    bytes += data.byteLength;
    let list = received.get(n);
    if (!list) received.set(n, list = []);
    list.push(at);
  };
  t.start();
  return t;
});
await sleepUntil(endAt);
for (const t of tracks) t.stop();

// Each piece's media time, from the origin's index (the ring holds the whole run).
const index = await (await fetch(indexUrl)).json();
const startMs = new Map<number, number>(
  index.segments.map((s: { n: number; startMs: number }) => [s.n, s.startMs]),
);
const lateness: number[] = [];
for (const [n, times] of received) {
  const ms = startMs.get(n);
  if (ms === undefined) continue;
  const due = startAt + ms - firstTs;
  for (const t of times) lateness.push(Math.round(t - due));
}
const misses = tracks.reduce((n, t) => n + t.stats.misses, 0);
console.log(JSON.stringify({
  viewers,
  pieces,
  distinct: received.size,
  mbps: (bytes * 8) / 1e6 / seconds,
  misses,
  lateness,
}));
setTimeout(() => Deno.exit(0), 100);

/**
 * Soak benchmark: one room live for an hour (SOAK_SECONDS, default 3600) with
 * 50 viewers (SOAK_VIEWERS; a fifth of them churn: each leaves after 20-120 s
 * and is replaced at once). The server runs in one process, the load
 * generator (bench/soak_load.ts) in another. Prints the server's RSS at the
 * start (after a warm-up that fills the 30 s window), at the end and its
 * maximum, and the segments lost by stable (healthy) viewers. Target: RSS at
 * the end within 10 % of the start, no lost segment for stable viewers; the
 * exit code is 1 when either is missed.
 * Run: deno task bench soak   (SOAK_SECONDS=600 for a shorter run; SOAK_SERVER_ARGS for flags)
 * Measured (1 hour, 2 cores shared with other work, load average ~20):
 * RSS 82.0 MiB at 121 s, 82.3 MiB at the end (+0.4 %), max 85.5 MiB
 * (+4.3 %); stable viewers lost 0 of 1,715,680 frames; 519 churn joins,
 * 0 lost, no viewer closed by the server. That was before recording
 * landed; with recording on, 30 minutes went 112.0 → 131.8 MiB (+17.7 %,
 * 0 lost) on a loaded machine.
 * Measured again with the memory by kind (V8 heap, external buffers, the
 * rest of RSS "outside V8") and threads, 10-minute runs unless said:
 * - Quiet, recording on: +7.9 % from 60 s, then nearly flat: a 30-minute
 *   run went 104.2 MiB at 61 s, 108.8 at 121 s, 110.8 from 8 to 15 min,
 *   113.2 at 30 min (+4.1 % from 121 s). --no-record: +3.6 % in 10 min.
 *   The 10-minute figure is mostly warm-up; the second-half slope tells a
 *   leak. With the changes below, side by side: 112.9 → 119.5 MiB in 25
 *   minutes (+5.8 % from 120 s): no gain on a quiet machine.
 * - Overloaded (load 20+, thousands of frames lost): everything grows,
 *   --no-record too (+7.9 %). Recording then ran its file I/O on 31 threads
 *   of Deno's blocking pool (0 without recording) whose malloc arenas held
 *   ~16 MiB more; MALLOC_ARENA_MAX=1 cut +7.9 % to +5.7 %. With writes
 *   once a second per file and a recording's file operations one at a time
 *   (lib/record/disk_lane.ts), the same overload showed 11 pool threads and
 *   arenas at the --no-record level; media writes are now synchronous and
 *   use no pool thread at all.
 */
import { startServerProcess } from "./server_process.ts";
import { fitSlope } from "./slope.ts";
import { soakSource } from "./soak_source.ts";

const seconds = Number(Deno.env.get("SOAK_SECONDS") ?? Deno.args[0] ?? 3600);
const total = Number(Deno.env.get("SOAK_VIEWERS") ?? 50);
const churn = Math.round(total / 5);
const warmupS = Math.min(120, Math.max(40, seconds / 10));
const mb = (b: number) => (b / 1048576).toFixed(1);

await soakSource(60); // encode once before the clock starts
// SOAK_SERVER_ARGS adds server flags, e.g. "--no-record" to tell recording's share of memory;
// SOAK_SERVER_ENV adds environment variables, e.g. "MALLOC_ARENA_MAX=1" to test the allocator.
const extra = (Deno.env.get("SOAK_SERVER_ARGS") ?? "").split(" ").filter(Boolean);
const env = Object.fromEntries(
  (Deno.env.get("SOAK_SERVER_ENV") ?? "").split(" ").filter(Boolean).map((kv) => kv.split("=")),
);
const server = await startServerProcess(["--max-viewers", "1000", ...extra], env);
const res = await fetch(`${server.origin}/api/rooms`, { method: "POST", body: "{}" });
const { id, key } = await res.json();
console.log(
  `soak: ${seconds} s, ${total - churn} stable + ${churn} churning viewers, ` +
    `warm-up ${warmupS} s; server pid ${server.pid}`,
);

const load = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    new URL("./soak_load.ts", import.meta.url).pathname,
    server.origin,
    id,
    key,
    String(total - churn),
    String(churn),
    String(seconds),
  ],
  stdout: "piped",
  stderr: "inherit",
}).spawn();

const t0 = performance.now();
const rss: Array<{ t: number; rss: number }> = [];
const sampler = setInterval(() => {
  rss.push({ t: (performance.now() - t0) / 1000, rss: server.rssBytes() });
}, 5000);
// Where the memory sits, from the server's own metric: V8's heap, buffers V8 tracks (external),
// and the rest of RSS (native allocations: I/O buffers, allocator arenas, code).
const kinds: Array<{ t: number; memory: ProcessMemory; threads: number }> = [];
const memorySampler = setInterval(async () => {
  const t = (performance.now() - t0) / 1000;
  const memory = await processMemory(server.origin).catch(() => null);
  if (memory) kinds.push({ t, memory, threads: server.threads() });
}, 30_000);

let last: Record<string, number | boolean> = {};
const lines = load.stdout.pipeThrough(new TextDecoderStream()).getReader();
let buffered = "";
for (let next = await lines.read(); !next.done; next = await lines.read()) {
  buffered += next.value;
  let nl;
  while ((nl = buffered.indexOf("\n")) >= 0) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    try {
      last = JSON.parse(line);
    } catch {
      console.log(line);
      continue;
    }
    const now = rss[rss.length - 1]?.rss ?? server.rssBytes();
    console.log(
      `t=${last.t}s rss=${mb(now)} MiB stable lost ${last.stableLost} of ${last.stableFrames} ` +
        `frames, churn joins ${last.churnJoins}, churn lost ${last.churnLost}`,
    );
  }
}
const { code } = await load.status;
clearInterval(sampler);
clearInterval(memorySampler);
// The last sample taken while the load ran (viewers still connected).
const endRss = rss.filter((s) => s.t <= seconds).at(-1)?.rss ?? server.rssBytes();
await server.stop();

const after = rss.filter((s) => s.t >= warmupS);
const startRss = after[0]?.rss ?? rss[0]?.rss ?? 0;
const maxRss = Math.max(...after.map((s) => s.rss), endRss);
const growth = (endRss - startRss) / startRss;
const maxGrowth = (maxRss - startRss) / startRss;
// A leak keeps climbing; a warm-up levels off (measured: 10-minute runs gained 6–8 % from 60 s,
// then stayed flat). The slope over the second half of the run tells them apart.
const secondHalf = rss.filter((s) => s.t >= seconds / 2 && s.t <= seconds);
const slope = fitSlope(secondHalf.map((s) => [s.t / 600, s.rss / 1048576] as const));
console.log(JSON.stringify({ ...last, seconds, totalViewers: total, churn, loadExit: code }));
console.log(
  `RSS start ${mb(startRss)} MiB (at ${after[0]?.t.toFixed(0)} s), end ${mb(endRss)} MiB ` +
    `(${(growth * 100).toFixed(1)} %), max ${mb(maxRss)} MiB (${
      (maxGrowth * 100).toFixed(1)
    } %); second half: ${slope.toFixed(2)} MiB per 10 min`,
);
console.log(
  `stable viewers: ${last.stableLost} segments lost, ${last.stableClosed} closed by the server; ` +
    `churn: ${last.churnJoins} joins, ${last.churnLost} lost, ${last.churnClosed} closed`,
);
const firstKinds = kinds.find((k) => k.t >= warmupS) ?? kinds[0];
const lastKinds = kinds.filter((k) => k.t <= seconds).at(-1);
if (firstKinds && lastKinds) {
  const line = (k: typeof firstKinds) =>
    `rss ${mb(k.memory.rss)}, heap_used ${mb(k.memory.heap_used)}, heap_total ${
      mb(k.memory.heap_total)
    }, external ${mb(k.memory.external)}, outside V8 ${
      mb(outsideV8(k.memory))
    } MiB, ${k.threads} threads`;
  console.log(`memory at ${firstKinds.t.toFixed(0)} s: ${line(firstKinds)}`);
  console.log(`memory at ${lastKinds.t.toFixed(0)} s: ${line(lastKinds)}`);
}
const ok = code === 0 && last.done === true && Math.abs(growth) <= 0.1 && last.stableLost === 0 &&
  last.stableClosed === 0;
console.log(ok ? "soak: PASS" : "soak: FAIL");
if (!ok) Deno.exit(1);

interface ProcessMemory {
  rss: number;
  heap_used: number;
  heap_total: number;
  external: number;
}

/** The server's `chalkcast_process_memory_bytes` by kind. */
async function processMemory(origin: string): Promise<ProcessMemory> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^chalkcast_process_memory_bytes\{kind="(\w+)"\} (\d+)/gm)) {
    out[m[1]] = Number(m[2]);
  }
  return out as unknown as ProcessMemory;
}

/** RSS that is neither V8's heap nor the buffers it tracks. */
function outsideV8(m: ProcessMemory): number {
  return m.rss - m.heap_total - m.external;
}

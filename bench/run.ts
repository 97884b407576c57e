/**
 * Runs every benchmark in turn, each in its own process so one's memory and
 * JIT state never colour the next, and passes their output through. Prints
 * figures only; targets are in each benchmark's header. `deno task bench`
 * builds the assets first (latency_bench serves the real pages).
 * Usage: deno run -A bench/run.ts [name filter, e.g. latency]
 * The soak benchmark (an hour) runs only by name: deno task bench soak.
 */

const BENCHES: { file: string; args: string[]; onlyByName?: boolean }[] = [
  { file: "parser_bench.ts", args: [] },
  { file: "fanout_bench.ts", args: [] },
  // 500 ultra-low viewers (voice, slides and ink only): the server's CPU (issue #9).
  { file: "fanout_bench.ts", args: ["500", "10", "2", "ws", "audio"] },
  // Deno's own cost per streaming HTTP response, by body mechanism (README "Capacity").
  { file: "http_body_bench.ts", args: [] },
  { file: "latency_bench.ts", args: [] },
  { file: "lip_sync_bench.ts", args: [] },
  { file: "pull_bench.ts", args: [] },
  { file: "record_cpu_bench.ts", args: [] },
  { file: "finalize_bench.ts", args: [] },
  { file: "replay_bench.ts", args: [] },
  { file: "ink_bench.ts", args: [] },
  { file: "profile_bench.ts", args: [] },
  { file: "low_bandwidth_bench.ts", args: [] },
  // An hour by default (SOAK_SECONDS): runs only when asked for, `deno task bench soak`.
  { file: "soak_bench.ts", args: [], onlyByName: true },
];

const only = Deno.args[0];
let failed = 0;
for (const { file, args, onlyByName } of BENCHES) {
  if (only ? !file.includes(only) : onlyByName) continue;
  console.log(`\n== ${file} ${args.join(" ")}`.trimEnd());
  const t0 = performance.now();
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(file, import.meta.url).pathname, ...args],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  const seconds = ((performance.now() - t0) / 1000).toFixed(0);
  if (code !== 0) failed++;
  console.log(`-- ${file}: ${code === 0 ? "done" : `failed (exit ${code})`} in ${seconds} s`);
}
if (failed > 0) Deno.exit(1);

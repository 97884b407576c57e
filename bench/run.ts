/**
 * Runs every benchmark in turn, each in its own process so one's memory and
 * JIT state never colour the next, and passes their output through. Prints
 * figures only; targets are in each benchmark's header. `deno task bench`
 * builds the assets first (latency_bench serves the real pages).
 * Usage: deno run -A bench/run.ts [name filter, e.g. latency]
 */

const BENCHES: { file: string; args: string[] }[] = [
  { file: "parser_bench.ts", args: [] },
  { file: "fanout_bench.ts", args: [] },
  { file: "latency_bench.ts", args: [] },
  { file: "ink_bench.ts", args: [] },
];

const only = Deno.args[0];
let failed = 0;
for (const { file, args } of BENCHES) {
  if (only && !file.includes(only)) continue;
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

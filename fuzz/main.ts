/**
 * `deno task fuzz`: fuzzes the container parsers, the protocol decoders and
 * the full server path with fast-check (see fuzz/fuzz.ts).
 * Usage: deno task fuzz [--runs N] [--seed S] [--only parsers|protocol|server]
 * Env: FUZZ_RUNS (default 1,000,000), FUZZ_SEED.
 */
import { parseArgs } from "node:util";
import { runFuzz, type Target } from "./fuzz.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string" }, seed: { type: "string" }, only: { type: "string" } },
});
const runs = Number(values.runs ?? Deno.env.get("FUZZ_RUNS") ?? 1_000_000);
const seedText = values.seed ?? Deno.env.get("FUZZ_SEED");
const only = values.only as Target | undefined;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number`);
if (only && !["parsers", "protocol", "server"].includes(only)) {
  throw new Error("--only must be parsers, protocol or server");
}
const t0 = performance.now();
const figures = await runFuzz({
  runs,
  seed: seedText === undefined ? undefined : Number(seedText),
  only,
  log: (line) => console.log(line),
});
const total = figures.reduce((n, f) => n + f.runs, 0);
console.log(
  `fuzz: ${total} inputs, no violation, in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);

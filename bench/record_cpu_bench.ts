/**
 * Recording's extra server CPU at 500 viewers: runs the fan-out benchmark
 * (bench/fanout_bench.ts: server process, 1 Mbit/s source, viewers in load
 * processes) with recording on and with CHALKCAST_NO_RECORD=1, alternating,
 * and compares the server's CPU %. Target (not asserted): recording adds at
 * most 5 % relative. The machine is shared, so rounds alternate and the
 * median of each side is reported.
 * Usage: deno run -A bench/record_cpu_bench.ts [viewers] [seconds] [rounds]
 */
const viewers = Number(Deno.args[0] ?? 500);
const seconds = Number(Deno.args[1] ?? 10);
const rounds = Number(Deno.args[2] ?? 2);

async function serverCpu(record: boolean): Promise<number> {
  const env: Record<string, string> = record ? {} : { CHALKCAST_NO_RECORD: "1" };
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./fanout_bench.ts", import.meta.url).pathname,
      String(viewers),
      String(seconds),
    ],
    env,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(stdout);
  if (code !== 0) throw new Error(`fanout_bench failed: ${text}`);
  const row = text.split("\n").find((l) => l.trim().startsWith(`${viewers} |`));
  if (!row) throw new Error(`no result row in: ${text}`);
  return Number(row.split("|")[4]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const on: number[] = [];
const off: number[] = [];
for (let i = 0; i < rounds; i++) {
  off.push(await serverCpu(false));
  on.push(await serverCpu(true));
  console.log(`round ${i + 1}: server CPU ${off[i]} % without recording, ${on[i]} % with`);
}
const [a, b] = [median(off), median(on)];
console.log(
  `recording at ${viewers} viewers: server CPU ${a} % → ${b} % (median of ${rounds}), ` +
    `${(((b - a) / a) * 100).toFixed(1)} % relative (target ≤ 5 %)`,
);

/**
 * Recording's extra server CPU at 500 viewers. Two measurements:
 * 1. In-process, exact: the CPU time this process spends recording the
 *    1 Mbit/s bench stream (bench/stream_source.ts) through a real Room and
 *    Recorder (parse for the cluster index, queue, write, fdatasync every 2 s,
 *    finish), per second of media: the recorder's absolute cost.
 * 2. End to end, noisy on a shared machine: the fan-out benchmark
 *    (bench/fanout_bench.ts: server process, viewers in load processes) with
 *    recording on and with CHALKCAST_NO_RECORD=1, alternating rounds; the
 *    server's CPU % (median of each side) and (1) relative to the fan-out's.
 * Target (not asserted): recording adds at most 5 % relative.
 * Usage: deno run -A bench/record_cpu_bench.ts [viewers] [seconds] [rounds]
 */
import { Hub } from "../lib/hub/hub.ts";
import { memoryLogger } from "../lib/log.ts";
import { createDemuxer } from "../lib/media/detect.ts";
import { Recorder } from "../lib/record/recorder.ts";
import { streamSource } from "./stream_source.ts";
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
      "2",
      "ws",
    ],
    env,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(stdout);
  if (code !== 0) throw new Error(`fanout_bench failed: ${text}`);
  // The row: viewers | delivered / expected | backlog | CPU % | ...
  const row = text.split("\n").find((l) => l.trim().startsWith(`${viewers} |`));
  if (!row) throw new Error(`no result row in: ${text}`);
  return Number(row.split("|")[3]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU seconds (user + system) this process has used. */
function ownCpuSeconds(): number {
  const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds per second of media that one pass of `source` costs: pushed
 * through a real Room (with a Recorder attached when `record`), yielding to
 * the event loop between chunks as a live server does.
 */
async function passCost(record: boolean, source: Awaited<ReturnType<typeof streamSource>>) {
  const root = await Deno.makeTempDir({ prefix: "chalkcast-record-bench-" });
  let clock = 0;
  const now = () => clock;
  const recorder = new Recorder({ root, now, log: memoryLogger() });
  const hub = new Hub({
    now,
    onRoomCreated: (room, key) => record ? recorder.attach(room, key) : undefined,
  });
  const demuxer = createDemuxer();
  const parsed = source.chunks.map((c) => ({ atMs: c.atMs, segments: demuxer.push(c.bytes) }));
  try {
    const { room, key } = hub.create({ title: "bench" });
    const publisher = room.publish(key, () => {});
    publisher.start("camera");
    const t0 = ownCpuSeconds();
    for (const c of parsed) {
      clock = c.atMs;
      for (const s of c.segments) publisher.push("camera", s);
      recorder.tick(clock); // syncs every 2 s of media, as on a live server
      await new Promise((r) => setTimeout(r, 0)); // let the write loop run, as between pushes
    }
    publisher.stop("camera");
    await recorder.close();
    return (ownCpuSeconds() - t0) / (source.durationMs / 1000);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** The recorder's CPU per media second: median over alternating passes with and without it. */
async function recorderCost(passes = 5): Promise<number> {
  const source = await streamSource(30);
  const withIt: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < passes; i++) {
    without.push(await passCost(false, source));
    withIt.push(await passCost(true, source));
  }
  return Math.max(0, median(withIt) - median(without));
}

const cost = await recorderCost();
console.log(
  `recorder alone: ${(cost * 1000).toFixed(1)} ms CPU per second of 1 Mbit/s media ` +
    `(${(cost * 100).toFixed(2)} % of one core per recorded track)`,
);
const on: number[] = [];
const off: number[] = [];
for (let i = 0; i < rounds; i++) {
  off.push(await serverCpu(false));
  on.push(await serverCpu(true));
  console.log(`round ${i + 1}: server CPU ${off[i]} % without recording, ${on[i]} % with`);
}
if (rounds === 0) Deno.exit(0);
const [a, b] = [median(off), median(on)];
console.log(
  `recording at ${viewers} viewers: server CPU ${a} % → ${b} % (median of ${rounds}), ` +
    `${(((b - a) / a) * 100).toFixed(1)} % relative (target ≤ 5 %); ` +
    `the recorder's own cost is ${((cost * 100 / a) * 100).toFixed(1)} % of the fan-out's ${a} %`,
);

/**
 * Fan-out benchmark: the server in one process, the load generator
 * (bench/fanout_load.ts) in another, viewers held on one 1 Mbit/s track.
 * Prints, per viewer count: delivered Mbit/s, backlog behind live (p50/p99),
 * server CPU % and server memory per viewer. Targets (not asserted):
 * 2,000 viewers with p99 backlog ≤ 200 ms and ≤ 64 KiB server memory each.
 * The viewers are spread over PROCS load processes (default 2) so a single
 * client event loop does not dominate the backlog figure; they share the
 * machine's 2 cores with the server, so backlog includes client-side delay.
 * Usage: deno run -A bench/fanout_bench.ts [viewer counts, e.g. 100,500,2000] [seconds] [procs]
 */
import { startServerProcess } from "./server_process.ts";
import { streamSource } from "./stream_source.ts";

const levels = (Deno.args[0] ?? "100,500,1000,2000").split(",").map(Number);
const seconds = Number(Deno.args[1] ?? 10);
const procs = Number(Deno.args[2] ?? 2);

/** Runs the load processes for one level and merges their results. */
async function runLoad(origin: string, id: string, key: string, viewers: number) {
  const children = Array.from({ length: procs }, (_, i) => {
    const share = Math.floor(viewers / procs) + (i < viewers % procs ? 1 : 0);
    return new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./fanout_load.ts", import.meta.url).pathname,
        origin,
        id,
        key,
        String(share),
        String(seconds),
        i === 0 ? "1" : "0",
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
  });
  const readers = children.map((c) => c.stdout.pipeThrough(new TextDecoderStream()).getReader());
  const outputs = readers.map(() => "");
  // Wait until every process has its viewers connected, then start them together.
  await Promise.all(readers.map(async (r, i) => {
    while (!outputs[i].includes("ready")) {
      const { value, done } = await r.read();
      if (done) throw new Error("load process exited early");
      outputs[i] += value;
    }
  }));
  const startAt = performance.timeOrigin + performance.now() + 300;
  for (const c of children) {
    const w = c.stdin.getWriter();
    await w.write(new TextEncoder().encode(`${startAt}\n`));
    await w.close();
  }
  const finished = Promise.all(readers.map(async (r, i) => {
    for (let next = await r.read(); !next.done; next = await r.read()) outputs[i] += next.value;
    await children[i].status;
  }));
  return { startAt, finished, outputs };
}

await streamSource(Math.max(30, seconds + 5)); // encode once before timing anything
const server = await startServerProcess(["--max-viewers", "20000", "--max-rooms", "1000"]);
console.log(`fan-out: ${seconds} s measured per level after 3 s warm-up; server pid ${server.pid}`);
console.log(
  "viewers | delivered Mbit/s | expected | backlog p50 / p99 / max ms | server CPU % | KiB/viewer | marginal KiB/viewer",
);
// Peak RSS per level: the slope between levels is the cost of one more viewer,
// free of fixed costs (heap growth, the ring) that a per-level average includes.
let previous: { viewers: number; peak: number } | null = null;
try {
  for (const viewers of levels) {
    const res = await fetch(`${server.origin}/api/rooms`, { method: "POST", body: "{}" });
    const { id, key } = await res.json();
    await new Promise((r) => setTimeout(r, 500));
    const rssBefore = server.rssBytes();
    const load = await runLoad(server.origin, id, key, viewers);
    const samples: Array<{ t: number; cpu: number; rss: number }> = [];
    const sampler = setInterval(() => {
      const t = performance.timeOrigin + performance.now();
      samples.push({ t, cpu: server.cpuSeconds(), rss: server.rssBytes() });
    }, 250);
    await load.finished;
    clearInterval(sampler);
    const results = load.outputs.map((o) => JSON.parse(o.trim().split("\n").pop()!));
    const backlogs = results.flatMap((x) => x.backlogs as number[]).sort((a, b) => a - b);
    const pct = (p: number) =>
      backlogs[Math.min(backlogs.length - 1, Math.floor(p * backlogs.length))] ?? NaN;
    const r = {
      sourceMbps: results[0].sourceMbps as number,
      deliveredMbps: results.reduce((n, x) => n + x.deliveredMbps, 0) as number,
      p50: pct(0.5),
      p99: pct(0.99),
      max: backlogs[backlogs.length - 1] ?? NaN,
      closedEarly: results.reduce((n, x) => n + x.closedEarly, 0),
      unmatched: results.reduce((n, x) => n + x.unmatched, 0),
    };
    // CPU over the measured window (after the 3 s warm-up).
    const window = samples.filter((s) => s.t >= load.startAt + 3000);
    const [start, end] = [window[0], window[window.length - 1]];
    const cpu = ((end.cpu - start.cpu) / ((end.t - start.t) / 1000)) * 100;
    const peak = Math.max(...samples.map((s) => s.rss));
    const perViewer = (peak - rssBefore) / 1024 / viewers;
    const marginal = previous ? (peak - previous.peak) / 1024 / (viewers - previous.viewers) : NaN;
    previous = { viewers, peak };
    const expected = r.sourceMbps * viewers;
    console.log(
      `${String(viewers).padStart(7)} | ${r.deliveredMbps.toFixed(0).padStart(16)} | ${
        expected.toFixed(0).padStart(8)
      } | ` +
        `${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} / ${r.max.toFixed(0)}`.padStart(26) +
        ` | ${cpu.toFixed(0).padStart(12)} | ${perViewer.toFixed(1).padStart(10)} | ` +
        `${Number.isNaN(marginal) ? "-" : marginal.toFixed(1)}`.padStart(19) +
        (r.closedEarly || r.unmatched
          ? `  (closed ${r.closedEarly}, unmatched ${r.unmatched})`
          : ""),
    );
  }
} finally {
  await server.stop();
}

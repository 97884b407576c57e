/**
 * Pull-mode benchmark: the server in one process, nginx (the shipped
 * deploy/nginx/chalkcast.conf, via tests/nginx.ts) in front of it, pull
 * viewers in separate load processes (bench/pull_load.ts), a 1 Mbit/s source
 * published over a WebSocket from this process in real time.
 *
 * Prints, per viewer count: pieces made, origin piece requests per piece,
 * origin requests per second (index + init + piece, counted by the origin's
 * own /metrics), pieces delivered per viewer per second, how late the
 * pieces reached viewers (p50/p95/p99, ms after the publisher sent them),
 * and the CPU the origin, nginx and the load processes used (100 % = one core).
 * A row without nginx shows what the cache saves. Then glass-to-glass in
 * Chromium (bench/glass.ts) for a pull-mode viewer direct and through
 * nginx, and a WebSocket viewer for reference.
 *
 * Targets (not asserted): ≤ 2 origin requests per piece behind nginx at 200
 * and 2,000 viewers; glass-to-glass p50 ≤ 1 s in pull mode through nginx.
 * Usage: deno run -A bench/pull_bench.ts [viewer counts, e.g. 200,2000] [seconds] [g2g samples]
 */
import { encodeClient, encodeMedia, PROTOCOL_VERSION } from "../lib/protocol.ts";
import { launchBrowser, type Page } from "../tests/browser.ts";
import { processTreeCpuSeconds, startNginx } from "../tests/nginx.ts";
import { glassToGlass, percentile } from "./glass.ts";
import { startServerProcess } from "./server_process.ts";
import { type StreamSource, streamSource } from "./stream_source.ts";

const levels = (Deno.args[0] ?? "200,2000").split(",").map(Number);
const seconds = Number(Deno.args[1] ?? 10);
const samples = Number(Deno.args[2] ?? 20);
const WARMUP_MS = 3000;
const clock = () => performance.timeOrigin + performance.now();
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - clock())));
const load = () => Deno.readTextFileSync("/proc/loadavg").split(" ")[0];

/** The origin's pull-mode request counts by kind. */
async function originRequests(origin: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const counts: Record<string, number> = { index: 0, init: 0, piece: 0 };
  for (const m of text.matchAll(/^chalkcast_segment_requests_total\{kind="(\w+)"\} (\d+)$/gm)) {
    counts[m[1]] = Number(m[2]);
  }
  return counts;
}

async function nextPiece(origin: string, id: string): Promise<number> {
  const res = await fetch(`${origin}/s/${id}/camera/segments`);
  return res.ok ? (await res.json()).next : 0;
}

/** Publishes `source` on track camera from `startAt` until `endAt`, in real time. */
async function publish(
  origin: string,
  id: string,
  key: string,
  source: StreamSource,
  startAt: number,
  endAt: number,
) {
  const ws = new WebSocket(`${origin.replace(/^http/, "ws")}/api/rooms/${id}/publish`);
  await new Promise((resolve) => (ws.onopen = resolve));
  ws.send(encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "publisher", room: id, key }));
  ws.send(encodeClient({ type: "track-start", track: "camera", mime: source.mime }));
  const firstTs = source.chunks[0].atMs;
  for (const chunk of source.chunks) {
    const at = startAt + chunk.atMs - firstTs;
    if (at > endAt) break;
    await sleepUntil(at);
    ws.send(
      encodeMedia({
        kind: "chunk",
        track: "camera",
        timestampMs: chunk.atMs,
        payload: chunk.bytes,
      }),
    );
  }
  return ws;
}

async function runLevel(
  server: { origin: string; cpuSeconds(): number },
  cache: { cpuSeconds(): number } | null,
  base: string,
  viewers: number,
  source: StreamSource,
  label: string,
) {
  const created = await fetch(`${server.origin}/api/rooms`, { method: "POST", body: "{}" });
  const { id, key } = await created.json();
  const procs = viewers > 500 ? 2 : 1;
  const children = Array.from({ length: procs }, (_, i) => {
    const share = Math.floor(viewers / procs) + (i < viewers % procs ? 1 : 0);
    return new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./pull_load.ts", import.meta.url).pathname,
        `${base}/s/${id}/camera`,
        `${server.origin}/s/${id}/camera/segments`,
        String(share),
        String(seconds),
        String(source.chunks[0].atMs),
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
  });
  const readers = children.map((c) => c.stdout.pipeThrough(new TextDecoderStream()).getReader());
  const outputs = readers.map(() => "");
  await Promise.all(readers.map(async (r, i) => {
    while (!outputs[i].includes("ready")) {
      const { value, done } = await r.read();
      if (done) throw new Error("load process exited early");
      outputs[i] += value;
    }
  }));
  const startAt = clock() + 500;
  const measureFrom = startAt + WARMUP_MS;
  const endAt = measureFrom + seconds * 1000;
  for (const c of children) {
    const w = c.stdin.getWriter();
    await w.write(new TextEncoder().encode(`${startAt}\n`));
    await w.close();
  }
  const finished = Promise.all(readers.map(async (r, i) => {
    for (let next = await r.read(); !next.done; next = await r.read()) outputs[i] += next.value;
    await children[i].status;
  }));
  const publishing = publish(server.origin, id, key, source, startAt, endAt + 1000);
  const cpu = () => ({
    origin: server.cpuSeconds(),
    cache: cache?.cpuSeconds() ?? 0,
    load: children.reduce((n, c) => n + processTreeCpuSeconds(c.pid), 0),
  });
  await sleepUntil(measureFrom);
  // The bench's own index read goes before the first count and after the last one.
  const before = {
    next: await nextPiece(server.origin, id),
    requests: await originRequests(server.origin),
    cpu: cpu(),
  };
  await sleepUntil(endAt);
  const after = {
    requests: await originRequests(server.origin),
    next: await nextPiece(server.origin, id),
    cpu: cpu(),
  };
  const cpuLoad = load();
  await finished;
  (await publishing).close();

  const results = outputs.map((o) => JSON.parse(o.trim().split("\n").pop()!));
  const lateness = results.flatMap((r) => r.lateness as number[]);
  const made = after.next - before.next;
  const d = (k: string) => after.requests[k] - before.requests[k];
  const all = d("index") + d("init") + d("piece");
  const perViewerRate = results.reduce((n, r) => n + r.pieces, 0) / viewers / seconds;
  const misses = results.reduce((n, r) => n + r.misses, 0);
  const f = (p: number) => percentile(lateness, p).toFixed(0);
  const pct = (k: "origin" | "cache" | "load") =>
    ((after.cpu[k] - before.cpu[k]) / seconds * 100).toFixed(0).padStart(3);
  console.log(
    `${label.padEnd(17)} | ${String(viewers).padStart(7)} | ${String(made).padStart(6)} | ` +
      `${String(d("piece")).padStart(10)} | ${(d("piece") / made).toFixed(2).padStart(9)} | ` +
      `${(all / seconds).toFixed(1).padStart(10)} | ${(made / seconds).toFixed(1)} / ` +
      `${perViewerRate.toFixed(1)}`.padStart(5) +
      ` | ${f(0.5)} / ${f(0.95)} / ${f(0.99)}`.padEnd(18) +
      ` | ${pct("origin")} / ${pct("cache")} / ${pct("load")} | ${misses} | ${cpuLoad}`,
  );
}

async function viewerG2G(studio: Page, open: () => Promise<Page>, label: string) {
  const viewer = await open();
  try {
    await viewer.waitForSelector('.viewer[data-phase="live"]', { timeout: 20_000 });
    await viewer.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('video[data-track="whiteboard"]')!;
        return !v.paused && v.getVideoPlaybackQuality().totalVideoFrames > 10;
      },
      null,
      { timeout: 20_000 },
    );
    await new Promise((r) => setTimeout(r, 2000)); // let the live-edge controller settle
    const { latencies, missed } = await glassToGlass(studio, viewer, { samples, warmup: 3 });
    const f = (p: number) => percentile(latencies, p).toFixed(0);
    console.log(
      `  ${label.padEnd(30)} p50 ${f(0.5)} ms, p95 ${f(0.95)} ms (n=${latencies.length}` +
        `${missed ? `, ${missed} missed` : ""}), load average ${load()}`,
    );
  } finally {
    await viewer.close();
  }
}

/** Glass-to-glass for a pull viewer direct, through nginx, and a WebSocket viewer. */
async function glassToGlassFigures(origin: string, cached: string) {
  console.log(
    "glass-to-glass (whiteboard: Clear pressed until the viewer shows it, bench/glass.ts):",
  );
  await using browser = await launchBrowser();
  const studio = await browser.newPage();
  await studio.goto(`${origin}/studio`);
  const link = studio.locator('[data-testid="viewer-link"]');
  await link.waitFor();
  const path = new URL((await link.getAttribute("href"))!).pathname;
  await studio.waitForFunction(() =>
    !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
  );
  await studio.click('[data-testid="go-live"]');
  await studio.waitForSelector('[data-testid="live-status"][data-status="live"]', {
    timeout: 15_000,
  });
  const open = (url: string) => async () => {
    const page = await browser.newPage();
    await page.goto(url);
    return page;
  };
  await viewerG2G(studio, open(`${origin}${path}?transport=http`), "pull mode, direct");
  await viewerG2G(
    studio,
    open(`${cached}${path}?transport=http`),
    "pull mode, through nginx",
  );
  await viewerG2G(studio, open(`${origin}${path}`), "WebSocket, direct (reference)");
}

console.log(`pull mode: ${navigator.hardwareConcurrency} cores, load average ${load()} at start`);
const source = await streamSource(Math.max(30, seconds + 10));
const server = await startServerProcess(["--max-viewers", "20000", "--max-rooms", "1000"]);
const nginx = await startNginx(new URL(server.origin).host, {
  workerConnections: 16384,
  workerProcesses: 2,
});
try {
  console.log(
    `${seconds} s measured per level after ${WARMUP_MS / 1000} s warm-up; one 1 Mbit/s track, ` +
      `~10 pieces/s`,
  );
  console.log(
    "path              | viewers | pieces | origin req | req/piece | origin r/s | made/got per s | late p50/p95/p99 ms | CPU % origin/nginx/load | misses | load avg",
  );
  await runLevel(
    server,
    null,
    server.origin,
    Math.min(200, levels[0]),
    source,
    "direct (no cache)",
  );
  for (const viewers of levels) {
    await runLevel(server, nginx, nginx.origin, viewers, source, "through nginx");
  }

  if (samples > 0) await glassToGlassFigures(server.origin, nginx.origin);
} finally {
  await nginx.stop();
  await server.stop();
}

/**
 * What Deno itself costs per streaming HTTP response, by body mechanism,
 * with no Chalkcast code in the way: the evidence behind README "Capacity"
 * (where an HTTP viewer's memory goes) and lib/egress/http_live.ts. A bare
 * `Deno.serve` in its own process feeds every open response a 12.8 KB
 * segment every 100 ms and a 40 KB "keyframe" every 2 s (~1 Mbit/s), as
 * Chalkcast does; two load processes open N connections each on raw sockets
 * and read everything. Memory is settled as in fanout_bench.ts (Deno's
 * SIGUSR2 trim + full GC, median of three) at 0, N and 2N connections;
 * printed: the average over the first N and the marginal cost between N and
 * 2N, split into V8 heap and outside it, and the server's CPU at 2N.
 *
 * Variants: `none` (a request never answered), `idle` (a JavaScript
 * ReadableStream body never fed), `chunked-8k` (one view of ≤ 8 KiB per
 * event-loop turn, what http_live.ts does), `chunked-whole` (whole segments),
 * `length-whole` (whole segments, with a made-up Content-Length: Deno's
 * fixed-length path, which writes without its per-connection buffer),
 * `ramp` (like chunked-8k, but the first pieces of a response double from
 * 248 bytes to 8,176, so that Deno's write buffer, a Rust Vec, grows by
 * doubling to 8 KiB instead of fitting an 8 KiB piece exactly and then
 * doubling to 16 KiB for its closing CRLF), `socket` (a body backed by a
 * Deno resource, the read end of a Unix socket that the server writes each
 * segment into: no JavaScript stream, no ring; Deno reads it 64 KiB at a time).
 * Usage: deno run -A bench/http_body_bench.ts [N=1000] [seconds=8] [variants=all]
 */
const role = Deno.args[0];

if (role === "serve") serve(Deno.args[1]);
else if (role === "load") await load(Number(Deno.args[1]), Number(Deno.args[2]));
else await main();

/** The server: answers GET /mem with Deno.memoryUsage(), anything else with the variant's body. */
function serve(variant: string): void {
  const piece = variant === "chunked-8k" ? 8 * 1024 : variant === "ramp" ? 8 * 1024 - 16 : Infinity;
  /** ramp: the `given`-th piece's limit (at most 8 bytes of chunk framing each). */
  const limitOf = (given: number) =>
    variant === "ramp" && given < 5 ? Math.min(piece, (256 << given) - 8) : piece;
  const segment = new Uint8Array(12_800).fill(7);
  const keyframe = new Uint8Array(40_000).fill(8);
  interface Viewer {
    controller: ReadableStreamDefaultController<Uint8Array>;
    wanted: boolean;
    current: Uint8Array | null;
    offset: number;
    given: number;
  }
  const viewers = new Set<Viewer>();
  const soon = new Set<Viewer>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const give = (v: Viewer) => {
    const bytes = v.current!;
    const end = Math.min(bytes.byteLength, v.offset + limitOf(v.given++));
    const view = bytes.subarray(v.offset, end);
    v.offset = end;
    if (end === bytes.byteLength) v.current = null;
    v.wanted = false;
    try {
      v.controller.enqueue(view);
    } catch {
      viewers.delete(v);
    }
  };
  let n = 0;
  setInterval(() => {
    if (variant === "none" || variant === "idle" || variant === "socket") return;
    const next = n++ % 20 === 0 ? keyframe : segment;
    for (const v of viewers) {
      if (v.current) continue; // behind: skips this one
      v.current = next;
      v.offset = 0;
      if (v.wanted) give(v);
    }
  }, 100);
  const never = new Promise<Response>(() => {});
  const socketBody = variant === "socket" ? socketBodies(segment, keyframe) : null;
  Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => console.log(`port ${port}`),
  }, (req) => {
    if (new URL(req.url).pathname === "/mem") return Response.json(Deno.memoryUsage());
    if (variant === "none") return never;
    if (socketBody) return socketBody();
    let viewer!: Viewer;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        viewer = { controller, wanted: false, current: null, offset: 0, given: 0 };
        viewers.add(viewer);
      },
      pull() {
        viewer.wanted = true;
        if (!viewer.current) return;
        // Like http_live.ts: the next piece on the next turn.
        soon.add(viewer);
        timer ??= setTimeout(() => {
          timer = undefined;
          for (const v of soon) if (v.wanted && v.current) give(v);
          soon.clear();
        }, 0);
      },
      cancel() {
        viewers.delete(viewer);
      },
    }, { highWaterMark: 0 });
    const headers: Record<string, string> = { "content-type": "video/webm" };
    if (variant === "length-whole") headers["content-length"] = String(2 ** 50);
    return new Response(body, { headers });
  });
}

/**
 * `socket`: each response's body is the read end of a Unix socket connection
 * to this process (a resource-backed stream, which Deno pipes without the
 * ring); the accepted end gets every segment written into it.
 */
function socketBodies(segment: Uint8Array, keyframe: Uint8Array): () => Promise<Response> {
  const path = Deno.makeTempFileSync({ suffix: ".sock" });
  Deno.removeSync(path);
  const listener = Deno.listen({ transport: "unix", path });
  const accepted: ((conn: Deno.UnixConn) => void)[] = [];
  (async () => {
    for await (const conn of listener) accepted.shift()!(conn);
  })();
  const writers = new Set<{ conn: Deno.UnixConn; busy: boolean }>();
  let n = 0;
  setInterval(() => {
    const next = n++ % 20 === 0 ? keyframe : segment;
    for (const w of writers) {
      if (w.busy) continue; // behind: skips this one
      w.busy = true;
      w.conn.write(next).then(() => (w.busy = false), () => writers.delete(w));
    }
  }, 100);
  return async () => {
    const server = new Promise<Deno.UnixConn>((resolve) => accepted.push(resolve));
    const client = await Deno.connect({ transport: "unix", path });
    writers.add({ conn: await server, busy: false });
    return new Response(client.readable, { headers: { "content-type": "video/webm" } });
  };
}

/** A load process: `count` connections to `port`, each reading everything. */
async function load(port: number, count: number): Promise<void> {
  const request = new TextEncoder().encode("GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  for (let i = 0; i < count; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, count - i) }, async () => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await conn.write(request);
      (async () => {
        const buf = new Uint8Array(32 * 1024);
        try {
          while (await conn.read(buf) !== null) { /* discard */ }
        } catch { /* server gone */ }
      })();
    }));
  }
  console.log("ready");
  setInterval(() => {}, 1000);
}

async function main(): Promise<void> {
  const n = Number(Deno.args[0] ?? 1000);
  const seconds = Number(Deno.args[1] ?? 8);
  const all = ["none", "idle", "chunked-8k", "chunked-whole", "length-whole", "ramp", "socket"];
  const variants = Deno.args[2] ? Deno.args[2].split(",") : all;
  const self = new URL(import.meta.url).pathname;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const linesOf = (child: Deno.ChildProcess) =>
    child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  async function until(reader: ReadableStreamDefaultReader<string>, re: RegExp) {
    let seen = "";
    while (!re.test(seen)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`exited before ${re}: ${seen}`);
      seen += value;
    }
    return seen.match(re)!;
  }
  console.log(
    `${n} then ${2 * n} connections, ${seconds} s each, settled memory (KiB per connection)`,
  );
  console.log("variant | average 0→N (heap) | marginal N→2N (heap / outside) | CPU % at 2N");
  for (const variant of variants) {
    const server = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--max-semi-space-size=1", self, "serve", variant],
      env: { DENO_USR2_MEMORY_TRIM: "1" },
      stdout: "piped",
    }).spawn();
    const port = (await until(linesOf(server), /port (\d+)/))[1];
    const proc = (file: string) => Deno.readTextFileSync(`/proc/${server.pid}/${file}`);
    const rss = () => Number(proc("status").match(/VmRSS:\s+(\d+)/)![1]) * 1024;
    const cpu = () => {
      const f = proc("stat").split(") ")[1].split(" ");
      return (Number(f[11]) + Number(f[12])) / 100;
    };
    const settled = async () => {
      const samples: { rss: number; heap: number }[] = [];
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 2; j++) {
          Deno.kill(server.pid, "SIGUSR2");
          await sleep(300);
        }
        const mem = await (await fetch(`http://127.0.0.1:${port}/mem`)).json();
        samples.push({ rss: rss(), heap: mem.heapUsed });
        await sleep(300);
      }
      return samples.sort((a, b) => a.rss - b.rss)[1];
    };
    const loads: Deno.ChildProcess[] = [];
    const addLoad = async () => {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", self, "load", port, String(n)],
        stdout: "piped",
      }).spawn();
      loads.push(child);
      await until(linesOf(child), /ready/);
    };
    await sleep(500);
    const zero = await settled();
    await addLoad();
    await sleep(seconds * 1000);
    const first = await settled();
    await addLoad();
    const [c0, t0] = [cpu(), performance.now()];
    await sleep(seconds * 1000);
    const cpuPercent = ((cpu() - c0) / ((performance.now() - t0) / 1000)) * 100;
    const second = await settled();
    const kib = (bytes: number) => (bytes / 1024 / n).toFixed(1);
    const outside = second.rss - first.rss - (second.heap - first.heap);
    console.log(
      `${variant.padEnd(13)} | ${kib(first.rss - zero.rss)} (${kib(first.heap - zero.heap)}) | ` +
        `${kib(second.rss - first.rss)} (${kib(second.heap - first.heap)} / ${kib(outside)}) | ` +
        cpuPercent.toFixed(0),
    );
    for (const child of loads) {
      child.kill();
      await child.status;
    }
    server.kill();
    await server.status;
  }
}

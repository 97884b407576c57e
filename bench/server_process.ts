/**
 * Runs the real server as a child process for benchmarks and reads its CPU
 * time and resident memory from /proc, so figures are the server's alone.
 */
export interface ServerProcess {
  origin: string;
  pid: number;
  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): number;
  /** Resident memory in bytes. */
  rssBytes(): number;
  /**
   * Asks the server to settle its memory: Deno's own SIGUSR2 hook
   * (`DENO_USR2_MEMORY_TRIM`, set here) runs malloc_trim and a full V8 GC
   * (a low-memory notification). Twice, so the second trim also returns what
   * the GC freed; resolves after `waitMs` more. RSS read after this is what
   * the server holds live, not garbage or allocator slack waiting for the
   * next GC, so levels compare without GC timing in the figure.
   */
  settle(waitMs?: number): Promise<void>;
  /** OS threads of the process (Deno's blocking-I/O pool grows and shrinks with file work). */
  threads(): number;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;

/**
 * The `--v8-flags` that checkout's `deno task start` passes, so the server
 * runs as users run it (e.g. `--max-semi-space-size=1`, see README "Capacity").
 */
async function v8FlagsOf(root: string): Promise<string[]> {
  // CHALKCAST_BENCH_V8_FLAGS replaces them, e.g. "" to measure what a flag saves.
  const override = Deno.env.get("CHALKCAST_BENCH_V8_FLAGS");
  if (override !== undefined) return override ? [`--v8-flags=${override}`] : [];
  const json = JSON.parse(await Deno.readTextFile(`${root}/deno.json`));
  return String(json.tasks?.start ?? "").match(/--v8-flags=\S+/g) ?? [];
}

/**
 * Starts `main.ts` with `args`. CHALKCAST_BENCH_ROOT runs another checkout's
 * server (e.g. an export of main, for before/after figures with one bench);
 * `env` adds environment variables (e.g. DENO_V8_FLAGS to try a flag).
 */
export async function startServerProcess(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const root = Deno.env.get("CHALKCAST_BENCH_ROOT") ?? new URL("..", import.meta.url).pathname;
  const dataDir = await Deno.makeTempDir({ prefix: "chalkcast-bench-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...await v8FlagsOf(root),
      "main.ts",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--data-dir",
      dataDir,
      ...args,
    ],
    cwd: root,
    env: { DENO_USR2_MEMORY_TRIM: "1", ...env },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  let origin = "";
  while (!origin) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`server exited: ${seen}`);
    seen += value;
    origin = seen.match(/studio (http:\/\/\S+)\/studio/)?.[1] ?? "";
  }
  (async () => {
    while (!(await reader.read()).done) { /* drain logs */ }
  })();
  const stat = () => Deno.readTextFileSync(`/proc/${child.pid}/stat`).split(") ")[1].split(" ");
  return {
    origin,
    pid: child.pid,
    cpuSeconds: () => {
      const fields = stat();
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    },
    rssBytes: () => {
      const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
      return Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1] ?? 0) * 1024;
    },
    settle: async (waitMs = 300) => {
      for (let i = 0; i < 2; i++) {
        Deno.kill(child.pid, "SIGUSR2");
        await new Promise((r) => setTimeout(r, waitMs));
      }
    },
    threads: () => {
      const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
      return Number(status.match(/Threads:\s+(\d+)/)?.[1] ?? 0);
    },
    stop: async () => {
      child.kill();
      await child.status;
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}

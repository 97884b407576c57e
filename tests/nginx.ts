/**
 * Runs a real nginx with the shipped deploy/nginx/chalkcast.conf in front of
 * an origin, for tests and benchmarks: the file's `listen 8081`, its upstream
 * `127.0.0.1:8080` and its cache directory are replaced (each must occur
 * exactly once, so an edit that breaks the contract fails here), everything
 * else is the shipped file. The prefix, cache, logs and pid live in a temp
 * directory that `stop()` removes.
 */

const SHIPPED = new URL("../deploy/nginx/chalkcast.conf", import.meta.url);

export interface RunningNginx {
  origin: string;
  port: number;
  /** The error log so far (for failure messages). */
  errors(): Promise<string>;
  /** CPU seconds (user + system) used so far by the master and its workers (Linux /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** A port the OS says is free now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function nginxPath(): string {
  const fromEnv = Deno.env.get("NGINX_PATH");
  if (fromEnv) return fromEnv;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/nginx`).isFile) return `${dir}/nginx`;
    } catch {
      // not here
    }
  }
  return "/usr/sbin/nginx";
}

function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) {
    throw new Error(`deploy/nginx/chalkcast.conf must contain "${from}" exactly once`);
  }
  return parts.join(to);
}

/** The shipped configuration with its listen port, upstream and cache directory replaced. */
export async function shippedConfig(
  listen: string,
  upstream: string,
  cacheDir: string,
): Promise<string> {
  let conf = await Deno.readTextFile(SHIPPED);
  conf = replaceOnce(conf, "listen 8081;", `listen ${listen};`);
  conf = replaceOnce(conf, "server 127.0.0.1:8080;", `server ${upstream};`);
  conf = replaceOnce(conf, "/var/cache/nginx/chalkcast ", `${cacheDir} `);
  return conf;
}

async function waitForPort(port: number, child: Deno.ChildProcess, prefix: string) {
  let exited = false;
  child.status.then(() => exited = true);
  // A generous deadline: nginx starts in milliseconds, but a loaded CI machine may be slow.
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    if (exited) break;
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const log = await Deno.readTextFile(`${prefix}/error.log`).catch(() => "");
  throw new Error(`nginx did not start on port ${port}: ${log}`);
}

/** Starts nginx on a free port in front of `upstream` ("127.0.0.1:PORT"). */
export async function startNginx(
  upstream: string,
  options: { workerConnections?: number; workerProcesses?: number } = {},
): Promise<RunningNginx> {
  const prefix = await Deno.makeTempDir({ prefix: "chalkcast-nginx-" });
  const port = freePort();
  const cacheDir = `${prefix}/cache`;
  await Deno.writeTextFile(
    `${prefix}/chalkcast.conf`,
    await shippedConfig(`127.0.0.1:${port}`, upstream, cacheDir),
  );
  const connections = options.workerConnections ?? 4096;
  // The frame the shipped file expects around it (Debian's nginx.conf, reduced).
  await Deno.writeTextFile(
    `${prefix}/nginx.conf`,
    `${Deno.uid() === 0 ? "user root;\n" : ""}daemon off;
worker_processes ${options.workerProcesses ?? 1};
worker_rlimit_nofile ${connections * 2 + 64};
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections ${connections}; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include ${prefix}/chalkcast.conf;
}
`,
  );
  const child = new Deno.Command(nginxPath(), {
    args: ["-p", prefix, "-c", `${prefix}/nginx.conf`, "-e", `${prefix}/error.log`],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let errText = "";
  (async () => {
    for (let r = await stderr.read(); !r.done; r = await stderr.read()) errText += r.value;
  })();
  try {
    await waitForPort(port, child, prefix);
  } catch (err) {
    try {
      child.kill();
    } catch { /* exited */ }
    await child.status;
    throw new Error(`${(err as Error).message}${errText}`);
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    errors: () => Deno.readTextFile(`${prefix}/error.log`).catch(() => ""),
    cpuSeconds: () => processTreeCpuSeconds(child.pid),
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* exited */ }
      await child.status;
      await Deno.remove(prefix, { recursive: true }).catch(() => {});
    },
  };
}

/** CPU seconds of `pid` and its direct children, from /proc (clock ticks of 1/100 s). */
export function processTreeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const fields = Deno.readTextFileSync(`/proc/${entry.name}/stat`).split(") ")[1].split(" ");
      // fields[1] is the parent pid; [11] and [12] are user and system time.
      if (Number(entry.name) === pid || Number(fields[1]) === pid) {
        ticks += Number(fields[11]) + Number(fields[12]);
      }
    } catch {
      // exited meanwhile
    }
  }
  return ticks / 100;
}

/**
 * Starts the real server in-process on a free port for tests, with a quiet
 * logger and a temporary data directory that `close()` removes.
 */
import manifest from "../fresh.gen.ts";
import assets from "../_build/assets.gen.ts";
import { type Config, DEFAULTS } from "../lib/config.ts";
import { memoryLogger } from "../lib/log.ts";
import { type RunningServer, start, type StartOptions } from "../lib/server.ts";

export interface TestServer extends RunningServer {
  logs: string[];
  close(): Promise<void>;
}

export async function startTestServer(
  overrides: Partial<Config> = {},
  options: StartOptions = {},
): Promise<TestServer> {
  const dataDir = await Deno.makeTempDir({ prefix: "chalkcast-test-" });
  const log = memoryLogger();
  const server = await start(
    manifest,
    assets,
    { ...DEFAULTS, host: "127.0.0.1", port: 0, dataDir, ...overrides },
    { log, ...options },
  );
  return {
    ...server,
    logs: log.lines,
    close: async () => {
      await server.shutdown();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}

/** The island script URLs a page loads. */
export function islandScripts(html: string): string[] {
  return [...html.matchAll(/<script type="module" src="([^"]+)"><\/script>/g)].map((m) => m[1]);
}

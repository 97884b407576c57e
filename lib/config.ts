/**
 * Every option of the server in one place, shared by main.ts, dev tooling and
 * tests. Flags win over environment variables (CHALKCAST_PORT, ...), which win
 * over defaults.
 */
import { parseArgs } from "node:util";

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Most rooms at once. */
  maxRooms: number;
  /** Most viewers in one room. */
  maxViewers: number;
  /** Seconds a room with no publisher and no viewers is kept. */
  roomTtlSeconds: number;
  /** Seconds of media kept per track for late joiners. */
  windowSeconds: number;
  /** Milliseconds a viewer may fall behind live before it skips to the newest keyframe. */
  maxLagMs: number;
  /** Largest single container element accepted from a publisher, bytes. */
  maxElementBytes: number;
  /** Record live sessions under `<dataDir>/recordings` (off with --no-record). */
  record: boolean;
  /** Recordings finished longer ago than this many days are deleted; 0 keeps them. */
  keepDays: number;
  /** Oldest recordings are deleted while all together take more than this many GB; 0: no limit. */
  maxRecordingsGb: number;
}

export const DEFAULTS: Config = {
  host: "0.0.0.0",
  port: 8080,
  dataDir: "./chalkcast-data",
  maxRooms: 100,
  maxViewers: 500,
  roomTtlSeconds: 3600,
  windowSeconds: 30,
  maxLagMs: 2000,
  maxElementBytes: 8 * 1024 * 1024,
  record: true,
  keepDays: 30,
  maxRecordingsGb: 0,
};

/** A bad flag or value: main.ts prints the message on one line and exits with 2. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export const USAGE = `Chalkcast — live streaming for teaching and presenting

Usage: chalkcast [options]

Options:
  --host HOST          address to listen on (env CHALKCAST_HOST, default 0.0.0.0)
  --port PORT          TCP port, 0 picks a free one (env CHALKCAST_PORT, default 8080)
  --data-dir DIR       where recordings and state live, created on demand
                       (env CHALKCAST_DATA_DIR, default ./chalkcast-data)
  --max-rooms N        most rooms at once (env CHALKCAST_MAX_ROOMS, default 100)
  --max-viewers N      most viewers per room (env CHALKCAST_MAX_VIEWERS, default 500)
  --room-ttl SECONDS   keep an idle room this long (env CHALKCAST_ROOM_TTL, default 3600)
  --window SECONDS     media kept per track for late joiners (env CHALKCAST_WINDOW, default 30)
  --max-lag MS         a viewer this far behind skips ahead (env CHALKCAST_MAX_LAG, default 2000)
  --no-record          do not record live sessions (env CHALKCAST_NO_RECORD=1)
  --keep-days N        delete recordings older than N days, 0 keeps them
                       (env CHALKCAST_KEEP_DAYS, default 30)
  --max-recordings-gb N  delete the oldest recordings while all take more than N GB,
                       0 for no limit (env CHALKCAST_MAX_RECORDINGS_GB, default 0)
  -h, --help           show this help
  -V, --version        print the version
`;

type Numeric = Exclude<keyof Config, "host" | "dataDir" | "record" | "maxRecordingsGb">;

const NUMERIC: Array<[string, Numeric, string, number, number]> = [
  ["port", "port", "CHALKCAST_PORT", 0, 65535],
  ["max-rooms", "maxRooms", "CHALKCAST_MAX_ROOMS", 1, 1_000_000],
  ["max-viewers", "maxViewers", "CHALKCAST_MAX_VIEWERS", 1, 1_000_000],
  ["room-ttl", "roomTtlSeconds", "CHALKCAST_ROOM_TTL", 1, 31_536_000],
  ["window", "windowSeconds", "CHALKCAST_WINDOW", 1, 3600],
  ["max-lag", "maxLagMs", "CHALKCAST_MAX_LAG", 100, 600_000],
  ["keep-days", "keepDays", "CHALKCAST_KEEP_DAYS", 0, 36_500],
];

export type ParsedArgs =
  | { kind: "run"; config: Config }
  | { kind: "help" }
  | { kind: "version" };

/** Parses command-line flags and environment into a Config; throws ConfigError. */
export function parseConfig(
  args: string[],
  env: Record<string, string | undefined> = {},
): ParsedArgs {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    host: { type: "string" },
    "data-dir": { type: "string" },
    "no-record": { type: "boolean" },
    "max-recordings-gb": { type: "string" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "V" },
  };
  for (const [flag] of NUMERIC) options[flag] = { type: "string" };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options, allowPositionals: false, strict: true }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message.split("\n")[0]} (see --help)`);
  }
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const config: Config = { ...DEFAULTS };
  config.host = String(values.host ?? env.CHALKCAST_HOST ?? DEFAULTS.host);
  config.dataDir = String(values["data-dir"] ?? env.CHALKCAST_DATA_DIR ?? DEFAULTS.dataDir);
  for (const [flag, key, envName, min, max] of NUMERIC) {
    const raw = values[flag] ?? env[envName];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(`--${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    config[key] = n;
  }
  const noRecord = values["no-record"] === true ||
    ["1", "true", "yes"].includes(env.CHALKCAST_NO_RECORD ?? "");
  config.record = !noRecord;
  const gb = values["max-recordings-gb"] ?? env.CHALKCAST_MAX_RECORDINGS_GB;
  if (gb !== undefined) {
    const n = Number(gb);
    if (gb === "" || !Number.isFinite(n) || n < 0 || n > 1_000_000) {
      throw new ConfigError(
        `--max-recordings-gb must be a number of GB from 0 to 1000000 (0: no limit), got "${gb}"`,
      );
    }
    config.maxRecordingsGb = n;
  }
  if (config.host === "") throw new ConfigError("--host must not be empty");
  return { kind: "run", config };
}

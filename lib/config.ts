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
  /** Most media kept in memory, all rooms, MiB (a quarter per room); over it, new media gets 503. */
  maxMemoryMb: number;
  /** PEM certificate and key files: serve HTTPS and WSS (both or neither). */
  certFile?: string;
  keyFile?: string;
  /** Generate (once, kept in the data dir) a self-signed certificate and serve HTTPS. */
  selfSigned: boolean;
  /** Origins besides the server's own whose pages may change state or open WebSockets. */
  allowedOrigins: string[];
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (see lib/web/client.ts). */
  trustProxy: boolean;
  /** Bearer token that may end any room and list every room; no admin API without it. */
  adminToken?: string;
  /** Per-client abuse limits (lib/web/limits.ts); no flags, tests tighten them. */
  limits: ClientLimits;
  /** Record live sessions under `<dataDir>/recordings` (off with --no-record). */
  record: boolean;
  /** Recordings finished longer ago than this many days are deleted; 0 keeps them. */
  keepDays: number;
  /** Oldest recordings are deleted while all together take more than this many GB; 0: no limit. */
  maxRecordingsGb: number;
}

/** Per-client abuse limits; a client is an IP address (see `trustProxy`). */
export interface ClientLimits {
  /** Rooms one client may create per minute. */
  roomsPerMinute: number;
  /** Uploads (PUT ingest, snapshot PUT) one client may start per minute. */
  uploadsPerMinute: number;
  /** Bandwidth probes (`GET /api/probe`) one client may make per minute. */
  probesPerMinute: number;
  /** WebSockets one client may hold open before their hello. */
  pendingSocketsPerClient: number;
  /** WebSockets the server holds open before their hello, all clients together. */
  pendingSocketsTotal: number;
  /** A WebSocket that has not said hello within this many ms is closed. */
  helloTimeoutMs: number;
}

export const DEFAULTS: Config = {
  host: "0.0.0.0",
  port: 8080,
  dataDir: "./chalkcast-data",
  maxRooms: 100,
  // 2,000 × 1 Mbit/s measured on 2 cores (bench/fanout_bench.ts; README "Capacity").
  maxViewers: 2000,
  roomTtlSeconds: 3600,
  windowSeconds: 30,
  maxLagMs: 2000,
  maxElementBytes: 8 * 1024 * 1024,
  maxMemoryMb: 512,
  selfSigned: false,
  allowedOrigins: [],
  trustProxy: false,
  limits: {
    roomsPerMinute: 10,
    uploadsPerMinute: 120,
    probesPerMinute: 120,
    pendingSocketsPerClient: 10,
    pendingSocketsTotal: 200,
    helloTimeoutMs: 5_000,
  },
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
  --max-viewers N      most viewers per room (env CHALKCAST_MAX_VIEWERS, default 2000)
  --room-ttl SECONDS   keep an idle room this long (env CHALKCAST_ROOM_TTL, default 3600)
  --window SECONDS     media kept per track for late joiners (env CHALKCAST_WINDOW, default 30)
  --max-lag MS         a viewer this far behind skips ahead (env CHALKCAST_MAX_LAG, default 2000)
  --max-memory-mb MB   media kept in memory, all rooms (a quarter per room); over it new
                       media is refused with 503 (env CHALKCAST_MAX_MEMORY_MB, default 512)
  --cert FILE          PEM certificate (chain): serve HTTPS and WSS; needs --key (env CHALKCAST_CERT)
  --key FILE           PEM private key of --cert (env CHALKCAST_KEY)
  --self-signed        serve HTTPS with a certificate generated once and kept in the data dir
                       (env CHALKCAST_SELF_SIGNED=1); the log shows its SHA-256 fingerprint
  --allowed-origins L  comma list of other origins whose pages may create rooms, publish or
                       watch, e.g. https://school.example (env CHALKCAST_ALLOWED_ORIGINS)
  --trust-proxy        behind one reverse proxy: the client address is the last
                       X-Forwarded-For entry (env CHALKCAST_TRUST_PROXY=1)
  --admin-token TOKEN  enables the admin API: this bearer token ends any room and lists all
                       rooms (env CHALKCAST_ADMIN_TOKEN; prefer the env, argv is visible)
  --no-record          do not record live sessions (env CHALKCAST_NO_RECORD=1)
  --keep-days N        delete recordings older than N days, 0 keeps them
                       (env CHALKCAST_KEEP_DAYS, default 30)
  --max-recordings-gb N  delete the oldest recordings while all take more than N GB,
                       0 for no limit (env CHALKCAST_MAX_RECORDINGS_GB, default 0)
  -h, --help           show this help
  -V, --version        print the version
`;

type Numeric =
  | "port"
  | "maxRooms"
  | "maxViewers"
  | "roomTtlSeconds"
  | "windowSeconds"
  | "maxLagMs"
  | "maxMemoryMb"
  | "keepDays";

const NUMERIC: Array<[string, Numeric, string, number, number]> = [
  ["port", "port", "CHALKCAST_PORT", 0, 65535],
  ["max-rooms", "maxRooms", "CHALKCAST_MAX_ROOMS", 1, 1_000_000],
  ["max-viewers", "maxViewers", "CHALKCAST_MAX_VIEWERS", 1, 1_000_000],
  ["room-ttl", "roomTtlSeconds", "CHALKCAST_ROOM_TTL", 1, 31_536_000],
  ["window", "windowSeconds", "CHALKCAST_WINDOW", 1, 3600],
  ["max-lag", "maxLagMs", "CHALKCAST_MAX_LAG", 100, 600_000],
  ["max-memory-mb", "maxMemoryMb", "CHALKCAST_MAX_MEMORY_MB", 16, 1_048_576],
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
    cert: { type: "string" },
    key: { type: "string" },
    "self-signed": { type: "boolean" },
    "allowed-origins": { type: "string" },
    "trust-proxy": { type: "boolean" },
    "admin-token": { type: "string" },
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
  readSecurity(config, values, env);
  return { kind: "run", config };
}

/** An env switch: "1", "true", "yes" or "on" (any case) is on; "", "0", "false", "no", "off" off. */
function envSwitch(name: string, raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["", "0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
}

/** `https://host[:port]` as the browser sends it in `Origin`; ConfigError otherwise. */
export function parseOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `--allowed-origins: "${raw}" is not an origin; write it like https://school.example:8443`,
    );
  }
  if (
    (url.protocol !== "http:" && url.protocol !== "https:") || url.pathname !== "/" ||
    url.search || url.hash || url.username || url.password || raw.replace(/\/$/, "") !== url.origin
  ) {
    throw new ConfigError(
      `--allowed-origins: "${raw}" is not an origin (scheme://host[:port], no path); e.g. https://school.example`,
    );
  }
  return url.origin;
}

function readSecurity(
  config: Config,
  values: Record<string, string | boolean | undefined>,
  env: Record<string, string | undefined>,
): void {
  const text = (flag: string, envName: string) => {
    const v = values[flag] ?? env[envName];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const certFile = text("cert", "CHALKCAST_CERT");
  const keyFile = text("key", "CHALKCAST_KEY");
  const adminToken = text("admin-token", "CHALKCAST_ADMIN_TOKEN");
  if (certFile !== undefined) config.certFile = certFile;
  if (keyFile !== undefined) config.keyFile = keyFile;
  if (adminToken !== undefined) config.adminToken = adminToken;
  config.selfSigned = values["self-signed"] === true ||
    envSwitch("CHALKCAST_SELF_SIGNED", env.CHALKCAST_SELF_SIGNED);
  config.trustProxy = values["trust-proxy"] === true ||
    envSwitch("CHALKCAST_TRUST_PROXY", env.CHALKCAST_TRUST_PROXY);
  const origins = text("allowed-origins", "CHALKCAST_ALLOWED_ORIGINS") ?? "";
  config.allowedOrigins = origins.split(",").map((o) => o.trim()).filter(Boolean).map(parseOrigin);
  if ((config.certFile === undefined) !== (config.keyFile === undefined)) {
    throw new ConfigError("--cert and --key go together: give both PEM files, or neither");
  }
  if (config.certFile && config.selfSigned) {
    throw new ConfigError("--self-signed and --cert exclude each other: pick one");
  }
  if (config.adminToken !== undefined && config.adminToken.length < 16) {
    throw new ConfigError(
      "--admin-token must be at least 16 characters; e.g. openssl rand -base64 24",
    );
  }
}

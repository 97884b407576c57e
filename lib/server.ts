/**
 * Starts the HTTP(S) server for a manifest and its built assets. `main.ts`
 * calls this; tests call it with port 0 and read back the chosen port. With
 * `--cert/--key` or `--self-signed` it serves HTTPS and WSS on the same port.
 */
import type { Config } from "./config.ts";
import { consoleLogger, type Logger } from "./log.ts";
import type { AppState } from "./state.ts";
import { type BuiltAssets, createAssetTable } from "./web/assets.ts";
import { createHandler } from "./web/app.ts";
import type { Manifest } from "./web/manifest.ts";
import denoJson from "../deno.json" with { type: "json" };
import { Hub, hubOptionsFromConfig } from "./hub/hub.ts";
import { Ticker } from "./session/ticker.ts";
import { StateFeeds } from "./session/state_feed.ts";
import { ChatRooms } from "./chat/registry.ts";
import { SnapshotStore } from "./api/snapshots.ts";
import { reasonForStatus, ServerMetrics } from "./server_metrics.ts";
import { ClientLimiters } from "./limits/client_limits.ts";
import { pemFingerprint, type PemPair, readPemPair, spkiSha256 } from "./tls/certificate.ts";
import { loadOrCreateSelfSigned, localNames } from "./tls/self_signed.ts";

/** How often backlogged connections are pumped (heartbeats turn once a second). */
const TICK_MS = 50;
/** How often idle rooms are looked for. */
const SWEEP_MS = 30_000;

export const VERSION: string = denoJson.version;

export interface StartOptions {
  log?: Logger;
  now?: () => number;
  /** Called once the port is bound, with the origin to print. */
  onListen?: (origin: string) => void;
}

/** How the server is reached over TLS, when it is. */
export interface TlsInfo {
  /** SHA-256 of the certificate, "AB:CD:…". */
  fingerprint: string;
  /** Base64 SHA-256 of its public key (for pinning, e.g. Chromium's SPKI list). */
  spki: string;
  /** PEM of the certificate served (a client may trust exactly this one). */
  cert: string;
  /** Where it came from: "--cert FILE", or the data dir's self-signed file. */
  source: string;
  /** True when this start generated a new self-signed certificate. */
  created: boolean;
}

export interface RunningServer {
  /** "http://host:port" or "https://host:port". */
  origin: string;
  port: number;
  tls: TlsInfo | null;
  state: AppState;
  shutdown(): Promise<void>;
}

/** Builds the app's services (the state every route sees). */
export function createState(config: Config, options: StartOptions = {}): AppState {
  const now = options.now ?? (() => performance.now());
  const log = options.log ?? consoleLogger();
  const startedAt = now();
  const snapshots = new SnapshotStore();
  const metrics: ServerMetrics = new ServerMetrics({
    hub: () => hub,
    version: VERSION,
    uptimeSeconds: () => (now() - startedAt) / 1000,
    now,
  });
  const chat = new ChatRooms({ onMessage: () => metrics.chatMessage() });
  const hub: Hub = new Hub({
    ...hubOptionsFromConfig(config),
    now,
    log,
    onRoomEnded: (room) => {
      metrics.roomEnded(room);
      chat.drop(room);
      snapshots.drop(room);
    },
  });
  const ticker = new Ticker(TICK_MS, now);
  return {
    config,
    log,
    version: VERSION,
    now,
    startedAt,
    hub,
    ticker,
    states: new StateFeeds(ticker),
    chat,
    snapshots,
    metrics,
    limits: new ClientLimiters(config.limits, now),
  };
}

/** The certificate to serve, or null for plain HTTP. */
async function loadTls(config: Config, log: Logger): Promise<(PemPair & TlsInfo) | null> {
  if (config.certFile && config.keyFile) {
    const pair = await readPemPair(config.certFile, config.keyFile);
    return {
      ...pair,
      fingerprint: await pemFingerprint(pair.cert),
      spki: await spkiSha256(pair.cert),
      source: `--cert ${config.certFile}`,
      created: false,
    };
  }
  if (!config.selfSigned) return null;
  const dir = `${config.dataDir}/tls`;
  const made = await loadOrCreateSelfSigned(dir, localNames((m) => log.warn(m)));
  return {
    ...made,
    spki: await spkiSha256(made.cert),
    source: `${dir}/self-signed.crt`,
  };
}

/** Counts every HTTP response of 400 and above as a rejected request, by reason. */
function countRejections(
  handler: (req: Request, info: Deno.ServeHandlerInfo) => Promise<Response>,
  metrics: ServerMetrics,
) {
  return async (req: Request, info: Deno.ServeHandlerInfo): Promise<Response> => {
    const res = await handler(req, info);
    if (res.status >= 400) metrics.rejected("http", reasonForStatus(res.status));
    return res;
  };
}

/** Serves the app; resolves once listening. Throws Deno.errors.AddrInUse for a busy port. */
export async function start(
  manifest: Manifest,
  assets: BuiltAssets,
  config: Config,
  options: StartOptions = {},
): Promise<RunningServer> {
  await Deno.mkdir(config.dataDir, { recursive: true });
  const state = createState(config, options);
  const tls = await loadTls(config, state.log);
  const handler = countRejections(
    createHandler(manifest, createAssetTable(assets), state),
    state.metrics,
  );
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    ...(tls ? { cert: tls.cert, key: tls.key } : {}),
    onListen: () => {},
    onError: (err) => {
      state.log.error(`request failed: ${err instanceof Error ? err.stack : String(err)}`);
      return Response.json({ error: "internal error" }, { status: 500 });
    },
  }, handler);
  const addr = server.addr as Deno.NetAddr;
  const host = addr.hostname === "0.0.0.0" || addr.hostname === "::" ? "localhost" : addr.hostname;
  const scheme = tls ? "https" : "http";
  const origin = `${scheme}://${host.includes(":") ? `[${host}]` : host}:${addr.port}`;
  if (tls) {
    state.log.info(
      `TLS certificate ${tls.created ? "generated" : "loaded"} (${tls.source}); ` +
        `SHA-256 fingerprint ${tls.fingerprint}`,
    );
  }
  options.onListen?.(origin);
  const sweeper = setInterval(() => state.hub.sweep(), SWEEP_MS);
  return {
    origin,
    port: addr.port,
    tls: tls
      ? {
        fingerprint: tls.fingerprint,
        spki: tls.spki,
        cert: tls.cert,
        source: tls.source,
        created: tls.created,
      }
      : null,
    state,
    shutdown: async () => {
      clearInterval(sweeper);
      state.hub.close();
      state.ticker.stop();
      await server.shutdown();
    },
  };
}

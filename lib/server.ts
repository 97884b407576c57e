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
import type { Room } from "./hub/room.ts";
import { Ticker } from "./session/ticker.ts";
import { StateFeeds } from "./session/state_feed.ts";
import { useVectoredWrites } from "./transport/writev.ts";
import { ChatRooms } from "./chat/registry.ts";
import { SnapshotStore } from "./api/snapshots.ts";
import { DeckStore, SLIDE_URL } from "./slides/deck_store.ts";
import { SlideSweeper } from "./slides/slide_sweeper.ts";
import { EventRefs } from "./record/event_refs.ts";
import { Presentations } from "./slides/presentation.ts";
import { reasonForStatus, ServerMetrics } from "./server_metrics.ts";
import { ClientLimiters } from "./limits/client_limits.ts";
import { pemFingerprint, type PemPair, readPemPair, spkiSha256 } from "./tls/certificate.ts";
import { loadOrCreateSelfSigned, localNames } from "./tls/self_signed.ts";
import { Recorder } from "./record/recorder.ts";
import { Catalog } from "./record/catalog.ts";
import { repairAll } from "./record/repair.ts";
import { applyRetention } from "./record/retention.ts";

/** How often backlogged connections are pumped (heartbeats turn once a second). */
const TICK_MS = 50;
/** How often idle rooms are looked for. */
const SWEEP_MS = 30_000;
/** How often recordings are synced to disk and checked for their end. */
const RECORD_TICK_MS = 1000;
/** How often the retention limits are applied (also at startup). */
const RETENTION_MS = 3_600_000;

/** Where recordings live. */
export function recordingsDir(config: Config): string {
  return `${config.dataDir}/recordings`;
}

export const VERSION: string = denoJson.version;

export interface StartOptions {
  log?: Logger;
  now?: () => number;
  /** Tests: how long a room may have no live track before its recording ends (default 10 s). */
  recordGraceMs?: number;
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
  const boardSnapshots = new SnapshotStore();
  const cameraSnapshots = new SnapshotStore();
  const metrics: ServerMetrics = new ServerMetrics({
    hub: () => hub,
    version: VERSION,
    uptimeSeconds: () => (now() - startedAt) / 1000,
    now,
  });
  const chat = new ChatRooms({
    onMessage: () => metrics.chatMessage(),
    eventsOf: (room) => (room as Room).events,
  });
  const slides = new Presentations({ eventsOf: (room) => (room as Room).events });
  const recorder = config.record
    ? new Recorder({
      root: recordingsDir(config),
      now,
      log,
      graceMs: options.recordGraceMs,
      onError: () => metrics.recordingError(),
    })
    : null;
  const decks = new DeckStore(`${config.dataDir}/slides`);
  const recordedSlides = new EventRefs(recordingsDir(config), SLIDE_URL);
  const slideSweeper = new SlideSweeper({
    decks,
    recorded: () => recordedSlides.collect(),
    pinnedRooms: () => new Set(recorder?.lives().map((r) => r.meta.roomId)),
    log,
  });
  const hub: Hub = new Hub({
    ...hubOptionsFromConfig(config),
    now,
    log,
    onRoomCreated: (room, key) => recorder?.attach(room, key),
    onRoomEnded: (room) => {
      metrics.roomEnded(room);
      chat.drop(room);
      snapshots.drop(room);
      boardSnapshots.drop(room);
      cameraSnapshots.drop(room);
      slides.drop(room);
      decks.closeRoom(room.id);
      slideSweeper.sweep();
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
    boardSnapshots,
    cameraSnapshots,
    slides,
    decks,
    slideSweeper,
    metrics,
    limits: new ClientLimiters(config.limits, now),
    recorder,
    recordings: new Catalog(recordingsDir(config), recorder),
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

/** Applies the retention limits; a failure is logged, never fatal. */
async function tidyRecordings(state: AppState): Promise<void> {
  const { config, log } = state;
  const limits = { keepDays: config.keepDays, maxBytes: config.maxRecordingsGb * 1e9 };
  try {
    await applyRetention(recordingsDir(config), limits, Date.now(), log);
  } catch (err) {
    log.error(`retention failed: ${(err as Error).message}`);
  }
  // Slide images only deleted recordings named, and decks of rooms gone (at startup), go too.
  await state.slideSweeper.sweep();
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
  await Deno.mkdir(recordingsDir(config), { recursive: true });
  const state = createState(config, options);
  useVectoredWrites(); // before the first connection: Deno reads it once
  const tls = await loadTls(config, state.log);
  // Before serving: a recording left open by a crash is finished, so every listed file is whole.
  await repairAll(recordingsDir(config), state.log);
  await tidyRecordings(state);
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
  const recordTicker = setInterval(() => state.recorder?.tick(), RECORD_TICK_MS);
  const retention = setInterval(() => tidyRecordings(state), RETENTION_MS);
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
      clearInterval(recordTicker);
      clearInterval(retention);
      state.hub.close();
      await state.recorder?.close();
      await state.slideSweeper.settled();
      state.ticker.stop();
      await server.shutdown();
    },
  };
}

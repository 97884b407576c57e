/**
 * The services every route handler reaches through `ctx.state`. Built once in
 * `createApp()`; tests build their own with fake clocks and small limits.
 */
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";
import type { Hub } from "./hub/hub.ts";
import type { Ticker } from "./session/ticker.ts";
import type { StateFeeds } from "./session/state_feed.ts";
import type { ChatRooms } from "./chat/registry.ts";
import type { SnapshotStore } from "./api/snapshots.ts";
import type { ServerMetrics } from "./server_metrics.ts";
import type { ClientLimiters } from "./limits/client_limits.ts";
import type { DeckStore } from "./slides/deck_store.ts";
import type { SlideSweeper } from "./slides/slide_sweeper.ts";
import type { Presentations } from "./slides/presentation.ts";
import type { Recorder } from "./record/recorder.ts";
import type { Catalog } from "./record/catalog.ts";

export interface AppState {
  config: Config;
  log: Logger;
  version: string;
  /** Monotonic milliseconds; injected so tests control time. */
  now: () => number;
  startedAt: number;
  hub: Hub;
  /** Pumps backlogged connections, runs heartbeats; see lib/session/ticker.ts. */
  ticker: Ticker;
  /** Each room's `state` message, encoded once per revision; see lib/session/state_feed.ts. */
  states: StateFeeds;
  /** One chat per room. */
  chat: ChatRooms;
  /** The latest studio thumbnail per room. */
  snapshots: SnapshotStore;
  /** The board during a screen share, every ~5 s, for viewers that cannot take its video. */
  boardSnapshots: SnapshotStore;
  /** The camera while it is live, every ~5 s, for viewers that take no camera video. */
  cameraSnapshots: SnapshotStore;
  /** Each room's slides and ink. */
  slides: Presentations;
  /** Uploaded slide decks and their images (under `<dataDir>/slides`). */
  decks: DeckStore;
  /** Deletes slide images no deck in use or kept recording names; ask after such a change. */
  slideSweeper: SlideSweeper;
  metrics: ServerMetrics;
  /** Per-client rate limits and the cap on sockets before hello. */
  limits: ClientLimiters;
  /** Records live sessions; null with --no-record. */
  recorder: Recorder | null;
  /** The recordings on disk and in progress. */
  recordings: Catalog;
}

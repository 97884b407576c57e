/**
 * Chalkcast's metrics for `GET /metrics`. Gauges (rooms, viewers,
 * publishers) and per room+track byte counts are read from the hub at each
 * scrape; they live as long as their room. Server-wide totals (bytes in and
 * out, segments skipped, chat messages, rejected requests) are kept here, so
 * they do not drop when a room ends: a room's track figures are folded into
 * them when the hub removes it (`roomEnded`). docs/api.md lists every name.
 */
import type { Hub } from "./hub/hub.ts";
import type { Room } from "./hub/room.ts";
import type { TrackStats } from "./hub/stats.ts";
import { type Counter, Registry, type Sample } from "./metrics.ts";
import type { SegmentRequestKind } from "./egress/segments.ts";

export type Transport = "http" | "ws";

export interface ServerMetricsOptions {
  hub: () => Hub;
  version: string;
  /** Seconds since the server started. */
  uptimeSeconds: () => number;
  /** Monotonic ms, for track stats. */
  now: () => number;
}

/** Reason label for an HTTP error status (the `code` lib/errors.ts gives it). */
export function reasonForStatus(status: number): string {
  return REASONS[status] ?? `http-${status}`;
}

const REASONS: Record<number, string> = {
  400: "bad-request",
  401: "auth",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  413: "too-large",
  415: "unsupported-media",
  426: "upgrade-required",
  429: "rate-limited",
  500: "internal",
  503: "capacity",
};

export class ServerMetrics {
  readonly registry = new Registry();
  #chat: Counter;
  #rejected: Counter;
  #segments: Counter;
  #recordingErrors: Counter;
  #ended = { bytesIn: 0, bytesOut: 0, skipped: 0 };

  constructor(private readonly o: ServerMetricsOptions) {
    const r = this.registry;
    r.collect("chalkcast_info", "gauge", "Always 1; the version is a label.", () => [
      { labels: { version: o.version }, value: 1 },
    ]);
    r.collect("chalkcast_uptime_seconds", "gauge", "Seconds since the server started.", () => [
      { value: Math.floor(o.uptimeSeconds()) },
    ]);
    r.collect(
      "chalkcast_process_memory_bytes",
      "gauge",
      "Server memory by kind: rss, heap_used and heap_total (V8), external (buffers V8 tracks).",
      () => {
        const m = Deno.memoryUsage();
        return [
          { labels: { kind: "rss" }, value: m.rss },
          { labels: { kind: "heap_used" }, value: m.heapUsed },
          { labels: { kind: "heap_total" }, value: m.heapTotal },
          { labels: { kind: "external" }, value: m.external },
        ];
      },
    );
    r.collect("chalkcast_rooms", "gauge", "Rooms that exist, live or not.", () => [
      { value: o.hub().size },
    ]);
    r.collect("chalkcast_rooms_live", "gauge", "Rooms with at least one live track.", () => [
      { value: o.hub().rooms().filter((room) => room.liveSince !== null).length },
    ]);
    r.collect("chalkcast_viewers", "gauge", "Viewer connections, all rooms.", () => [
      { value: sum(o.hub().rooms(), (room) => room.viewers) },
    ]);
    r.collect("chalkcast_publishers", "gauge", "Publisher connections, all rooms.", () => [
      { value: sum(o.hub().rooms(), (room) => room.publishers) },
    ]);
    r.collect(
      "chalkcast_room_viewers",
      "gauge",
      "Viewer connections per room.",
      () => o.hub().rooms().map((room) => ({ labels: { room: room.id }, value: room.viewers })),
    );
    const perTrack = (pick: (t: TrackStats) => number) => () => this.#tracks(pick);
    r.collect(
      "chalkcast_track_bytes_in_total",
      "counter",
      "Media bytes received per track, while its room exists.",
      perTrack((t) => t.bytesIn),
    );
    r.collect(
      "chalkcast_track_bytes_out_total",
      "counter",
      "Media bytes sent to viewers per track, while its room exists.",
      perTrack((t) => t.bytesOut),
    );
    r.collect(
      "chalkcast_track_segments_skipped_total",
      "counter",
      "Segments slow viewers skipped per track, while its room exists.",
      perTrack((t) => t.skipped),
    );
    r.collect(
      "chalkcast_track_bitrate_bits_per_second",
      "gauge",
      "Bitrate received per track over the last seconds.",
      perTrack((t) => t.bitrate),
    );
    r.collect(
      "chalkcast_bytes_in_total",
      "counter",
      "Media bytes received, all rooms ever.",
      () => this.#total((t) => t.bytesIn, this.#ended.bytesIn),
    );
    r.collect(
      "chalkcast_bytes_out_total",
      "counter",
      "Media bytes sent, all rooms ever.",
      () => this.#total((t) => t.bytesOut, this.#ended.bytesOut),
    );
    r.collect(
      "chalkcast_segments_skipped_total",
      "counter",
      "Segments slow viewers skipped, all rooms ever.",
      () => this.#total((t) => t.skipped, this.#ended.skipped),
    );
    r.collect(
      "chalkcast_media_memory_bytes",
      "gauge",
      "Media bytes kept in memory for viewers (init segments and rings), all rooms.",
      () => [{ value: o.hub().memory.used }],
    );
    r.collect(
      "chalkcast_media_memory_limit_bytes",
      "gauge",
      "The --max-memory-mb limit on chalkcast_media_memory_bytes, in bytes.",
      () => [{ value: Number.isFinite(o.hub().memory.limit) ? o.hub().memory.limit : 0 }],
    );
    r.collect(
      "chalkcast_media_rejected_total",
      "counter",
      "Media segments refused because a room's or the server's media memory was full.",
      () => [{ value: o.hub().memory.rejected }],
    );
    this.#chat = r.counter("chalkcast_chat_messages_total", "Chat messages accepted.");
    this.#recordingErrors = r.counter(
      "chalkcast_recording_errors_total",
      "Recordings stopped by a write error (disk full, permissions); the live stream went on.",
    );
    this.#rejected = r.counter(
      "chalkcast_rejected_requests_total",
      "Requests refused, by transport and reason (the error code).",
    );
    this.#segments = r.counter(
      "chalkcast_segment_requests_total",
      "Pull-mode requests that reached this server, by kind (index, init, piece).",
    );
  }

  /** One pull-mode request reached the origin (behind a cache, a miss). */
  segmentRequest(kind: SegmentRequestKind): void {
    this.#segments.inc({ kind });
  }

  /** A recording stopped on a write error (disk full...); the live stream went on. */
  recordingError(): void {
    this.#recordingErrors.inc();
  }

  chatMessage(): void {
    this.#chat.inc();
  }

  rejected(transport: Transport, reason: string): void {
    this.#rejected.inc({ transport, reason });
  }

  /** Folds an ended room's track figures into the server-wide totals. */
  roomEnded(room: Room): void {
    for (const t of room.stats(this.o.now()).tracks) {
      this.#ended.bytesIn += t.bytesIn;
      this.#ended.bytesOut += t.bytesOut;
      this.#ended.skipped += t.skipped;
    }
  }

  render(): string {
    return this.registry.render();
  }

  #tracks(pick: (t: TrackStats) => number): Sample[] {
    const now = this.o.now();
    return this.o.hub().rooms().flatMap((room) =>
      room.stats(now).tracks.map((t) => ({
        labels: { room: room.id, track: t.name },
        value: pick(t),
      }))
    );
  }

  #total(pick: (t: TrackStats) => number, ended: number): Sample[] {
    return [{ value: ended + sum(this.#tracks(pick), (s) => s.value) }];
  }
}

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((n, item) => n + pick(item), 0);
}

/**
 * A track as one plain HTTP stream, for ffplay, VLC or `ffmpeg -i URL`: the
 * init segment, media from the newest keyframe, then live. The response body
 * is a Sink; what Deno has not yet written to the socket counts as pending,
 * so a slow reader is skipped ahead by its Subscriber like any viewer. A
 * second init (the presenter restarted) ends the stream: players cannot take
 * a new header mid-stream, so they reconnect. So does a publisher that has
 * been gone for `idleEndMs` (the takeover timeout by default): a player
 * waiting on a stream that will never carry data again is better told so.
 *
 * The viewer joins the room only once nothing can fail any more, and leaves
 * it whenever the stream ends (closed, cancelled, errored), so a failed or
 * aborted GET never leaves a phantom viewer counted against the room's cap
 * and its expiry.
 */
import type { Packet } from "../hub/packet.ts";
import type { Room } from "../hub/room.ts";
import type { Sink } from "../hub/sink.ts";
import type { Subscriber } from "../hub/subscriber.ts";
import type { Track } from "../hub/track.ts";
import { NotFoundError, UnsupportedMediaError } from "../errors.ts";
import { isMediaMime } from "../media/mime.ts";
import type { Tickable, Ticker } from "../session/ticker.ts";

const QUEUE_BYTES = 256 * 1024;

class StreamSink implements Sink, Tickable {
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #sentInit = false;
  #done = false;
  /** Ticker time since which the track has had no publisher, or null. */
  #orphanedSince: number | null = null;
  subscriber: Subscriber | null = null;
  readonly stream: ReadableStream<Uint8Array>;

  constructor(
    readonly ticker: Ticker,
    readonly track: Track,
    readonly idleEndMs: number,
  ) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        cancel: () => this.#finish(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: QUEUE_BYTES }),
    );
  }

  write(packet: Packet): boolean {
    if (this.#done) return false;
    if (packet.isInit) {
      if (this.#sentInit) {
        this.close();
        return true;
      }
      this.#sentInit = true;
    }
    try {
      this.#controller.enqueue(packet.segment.bytes);
    } catch {
      this.close(); // the stream errored or was closed under us: leave the room
      return false;
    }
    return true;
  }

  get pending(): number {
    return this.#done ? 0 : QUEUE_BYTES - (this.#controller.desiredSize ?? 0);
  }

  tick(now: number): void {
    if (this.#done) return;
    if (this.track.owner !== null) this.#orphanedSince = null;
    else if (this.#orphanedSince === null) this.#orphanedSince = now;
    else if (now - this.#orphanedSince >= this.idleEndMs) return this.close();
    this.subscriber?.pump(now);
  }

  /** Ends the response (hub close, new init, publisher gone); leaves the room. */
  close(): void {
    if (this.#done) return;
    this.#finish();
    try {
      this.#controller.close();
    } catch {
      // the reader already went away
    }
  }

  #finish(): void {
    this.#done = true;
    this.subscriber?.unsubscribe();
    this.ticker.remove(this);
  }
}

export interface LiveOptions {
  /**
   * End the stream when the track has had no publisher for this long
   * (default: the track's takeover timeout, 5 s).
   */
  idleEndMs?: number;
}

/** Starts a live HTTP response for `track`; throws NotFoundError, UnsupportedMediaError or CapacityError. */
export function liveResponse(
  room: Room,
  track: string,
  ticker: Ticker,
  options: LiveOptions = {},
): Response {
  const existing = room.track(track);
  if (!existing) {
    throw new NotFoundError(
      `room ${room.id} has no track "${track.slice(0, 40)}"; try camera or whiteboard`,
    );
  }
  const mime = existing.mime ?? "video/webm";
  // Never reached with ingest's checks; kept so no stored string can break a header.
  if (!isMediaMime(mime)) {
    throw new UnsupportedMediaError(`track "${track}" has no usable MIME type; restart the stream`);
  }
  const headers = new Headers({
    "content-type": mime,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  const sink = new StreamSink(ticker, existing, options.idleEndMs ?? existing.takeoverAfterMs);
  const response = new Response(sink.stream, { headers });
  sink.subscriber = room.join(sink, { tracks: [track], label: `http viewer of ${track}` });
  ticker.add(sink);
  return response;
}

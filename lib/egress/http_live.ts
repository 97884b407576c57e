/**
 * A track as one plain HTTP stream, for ffplay, VLC or `ffmpeg -i URL`: the
 * init segment, media from the newest keyframe, then live. The response body
 * is a Sink; a slow reader is skipped ahead by its Subscriber like any viewer.
 * A second init (the presenter restarted) ends the stream: players cannot
 * take a new header mid-stream, so they reconnect.
 *
 * Memory: the body is a pull stream with no queue of its own. Deno's HTTP
 * server reads it one chunk at a time; `pull()` (Deno asking for the next
 * chunk) is this viewer's drain event and pumps its Subscriber, which hands
 * over exactly one shared segment. So the only per-viewer queue is the
 * Subscriber's list of references to shared packets: the bytes are never
 * copied in JavaScript, and what waits in Deno and the socket is bounded by
 * Deno's own read-ahead (lib/transport/writev.ts keeps it zero-copy).
 */
import type { Packet } from "../hub/packet.ts";
import type { Room } from "../hub/room.ts";
import type { Sink } from "../hub/sink.ts";
import type { Subscriber } from "../hub/subscriber.ts";
import { NotFoundError } from "../errors.ts";
import type { Tickable, Ticker } from "../session/ticker.ts";

/** What `pending` reports while no read is waiting: "full", whatever the watermark. */
const NOT_READING = Number.MAX_SAFE_INTEGER;

class StreamSink implements Sink, Tickable {
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  /** Deno has asked for a chunk and not been given one yet. */
  #reading = false;
  #sentInit = false;
  #done = false;
  subscriber: Subscriber | null = null;
  readonly stream: ReadableStream<Uint8Array>;

  constructor(readonly ticker: Ticker) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () => {
          this.#reading = true;
          this.subscriber?.pump();
        },
        cancel: () => {
          this.#done = true;
          this.subscriber?.unsubscribe();
          this.ticker.remove(this);
        },
      },
      // No queue: a chunk exists only when a read asks for it.
      { highWaterMark: 0 },
    );
  }

  write(packet: Packet): boolean {
    if (this.#done || !this.#reading) return false;
    if (packet.isInit) {
      if (this.#sentInit) {
        this.subscriber?.unsubscribe();
        this.close();
        return true;
      }
      this.#sentInit = true;
    }
    this.#reading = false;
    this.#controller.enqueue(packet.segment.bytes);
    return true;
  }

  get pending(): number {
    return this.#done || this.#reading ? 0 : NOT_READING;
  }

  /** The next pull() pumps; the ticker only keeps an eye on lag and stalls meanwhile. */
  backlogged(): void {
    if (!this.#done) this.ticker.wake(this);
  }

  pump(now: number): boolean {
    return this.subscriber?.pump(now) ?? false;
  }

  heartbeat(): void {}

  close(): void {
    if (this.#done) return;
    this.#done = true;
    this.ticker.remove(this);
    try {
      this.#controller.close();
    } catch {
      // the reader already went away
    }
  }
}

/** Starts a live HTTP response for `track`; throws NotFoundError or CapacityError. */
export function liveResponse(
  room: Room,
  track: string,
  ticker: Ticker,
): Response {
  const existing = room.track(track);
  if (!existing) {
    throw new NotFoundError(
      `room ${room.id} has no track "${track.slice(0, 40)}"; try camera or whiteboard`,
    );
  }
  const sink = new StreamSink(ticker);
  sink.subscriber = room.join(sink, { tracks: [track], label: `http viewer of ${track}` });
  ticker.add(sink);
  return new Response(sink.stream, {
    headers: {
      "content-type": existing.mime ?? "video/webm",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

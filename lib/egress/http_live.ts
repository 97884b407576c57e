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
 * over one shared segment, in views of at most PIECE bytes, one per read.
 * So the only per-viewer queue is the Subscriber's list of references to
 * shared packets, nothing is copied in JavaScript, and what Deno's HTTP
 * layer copies and keeps per connection stays one piece (see PIECE).
 */
import type { Packet } from "../hub/packet.ts";
import type { Room } from "../hub/room.ts";
import type { Sink } from "../hub/sink.ts";
import type { Subscriber } from "../hub/subscriber.ts";
import { NotFoundError } from "../errors.ts";
import type { Tickable, Ticker } from "../session/ticker.ts";

/** What `pending` reports while no read is waiting: "full", whatever the watermark. */
const NOT_READING = Number.MAX_SAFE_INTEGER;
/**
 * Largest piece handed to Deno per read. Deno's HTTP server (hyper, without
 * vectored writes) copies what it reads into a per-connection buffer and
 * keeps that buffer's capacity; handing one small view at a time, only when
 * asked, keeps that buffer at one piece instead of a whole keyframe.
 */
const PIECE = 8 * 1024;

class StreamSink implements Sink, Tickable {
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  /** Deno has asked for a chunk and not been given one yet. */
  #reading = false;
  /** The segment being handed over piece by piece, and how far. */
  #current: Uint8Array | null = null;
  #offset = 0;
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
          if (this.#current) return this.#nextPiece();
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
    this.#current = packet.segment.bytes;
    this.#offset = 0;
    this.#nextPiece();
    return true;
  }

  /** Enqueues the next piece of the current segment (a view: no copy). */
  #nextPiece(): void {
    const bytes = this.#current!;
    const end = Math.min(bytes.byteLength, this.#offset + PIECE);
    this.#controller.enqueue(bytes.subarray(this.#offset, end));
    this.#offset = end;
    if (end === bytes.byteLength) this.#current = null;
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

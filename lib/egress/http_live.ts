/**
 * A track as one plain HTTP stream, for ffplay, VLC or `ffmpeg -i URL`: the
 * init segment, media from the newest keyframe, then live. The response body
 * is a Sink; a slow reader is skipped ahead by its Subscriber like any viewer.
 * A second init (the presenter restarted) ends the stream: players cannot
 * take a new header mid-stream, so they reconnect. So does a publisher that
 * has been gone for `idleEndMs` (the takeover timeout by default): a player
 * waiting on a stream that will never carry data again is better told so.
 *
 * Memory: the body is a pull stream with no queue of its own. Deno's HTTP
 * server reads it one chunk at a time; `pull()` (Deno asking for the next
 * chunk) is this viewer's drain event and pumps its Subscriber, which hands
 * over one shared segment, in views of at most PIECE bytes, one per read.
 * So the only per-viewer queue is the Subscriber's list of references to
 * shared packets, nothing is copied in JavaScript, and what Deno's HTTP
 * layer copies and keeps per connection stays one piece (see PIECE).
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
        pull: () => {
          if (this.#current) return this.#nextPiece();
          this.#reading = true;
          this.subscriber?.pump();
        },
        cancel: () => this.#finish(),
      },
      // No queue: a chunk exists only when a read asks for it.
      { highWaterMark: 0 },
    );
  }

  write(packet: Packet): boolean {
    if (this.#done || !this.#reading) return false;
    if (packet.isInit) {
      if (this.#sentInit) {
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
    try {
      this.#controller.enqueue(bytes.subarray(this.#offset, end));
    } catch {
      this.close(); // the stream errored or was closed under us: leave the room
      return;
    }
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

  /** Once a second: end a stream whose publisher has been gone for `idleEndMs`. */
  heartbeat(now: number): void {
    if (this.#done) return;
    if (this.track.owner !== null) this.#orphanedSince = null;
    else if (this.#orphanedSince === null) this.#orphanedSince = now;
    else if (now - this.#orphanedSince >= this.idleEndMs) this.close();
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

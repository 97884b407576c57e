/**
 * A track as one plain HTTP stream, for ffplay, VLC or `ffmpeg -i URL`: the
 * init segment, media from the newest keyframe, then live. The response body
 * is a Sink; a slow reader is skipped ahead by its Subscriber like any viewer.
 * A second init (the presenter restarted) ends the stream: players cannot
 * take a new header mid-stream, so they reconnect. So does a publisher that
 * has been gone for `idleEndMs` (the takeover timeout by default): a player
 * waiting on a stream that will never carry data again is better told so.
 *
 * Memory: what a viewer costs here is almost all Deno's (README "Capacity"
 * has the figures). A JS ReadableStream given to Deno.serve is drained by
 * Deno's own loop (ext/web/06_streams.js `readableStreamReadFn`) into a
 * per-response channel (ext/web/stream_resource.rs: a fixed 1,024-slot ring
 * of 32-byte slices, ~32 KiB allocated per response whatever is sent, that
 * holds up to 64 KiB of views); it reads again as soon as a chunk is
 * accepted, so `pull()` is not a drain event. The HTTP/1.1 writer
 * (libs/http_h1/conn.rs `poll_write_response_chunk_with`) copies every chunk
 * of a chunked response into one per-connection write buffer and keeps
 * taking chunks from the channel while the socket is full, up to 64 KiB,
 * flushing when no further chunk is ready; that buffer keeps its largest
 * capacity until the response ends, which a live one never does. Only a
 * response with a Content-Length is written straight from the chunk, and a
 * live stream has none (a made-up one would end every stream truncated).
 * Handing over a whole keyframe at once thus left every viewer with a write
 * buffer the size of a keyframe, for good.
 *
 * So the body hands Deno one view of at most PIECE bytes per event-loop
 * turn (the ticker's `soon` batch, one timer for every viewer): when the
 * connection's task runs between turns, Deno's writer takes the piece, finds
 * nothing more ready and flushes it to the socket, so a viewer that keeps up
 * has a one-piece buffer. (Smaller pieces cost a turn and an op each, and
 * under load, when sockets fill, the buffer is what piled up anyway.)
 * Nothing is copied in JavaScript; the only queue of this viewer's own is its
 * Subscriber's list of references to shared packets. A viewer whose socket
 * is full still gets up to 64 KiB into Deno's writer and 64 KiB of views
 * into the channel (Deno's bounds); then Deno stops asking and the
 * Subscriber holds, skips and, past its stall limit, closes as for any
 * viewer (tests/slow_http_viewer_test.ts).
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

/** What `pending` reports while Deno has not asked for data: "full", whatever the watermark. */
const NOT_READING = Number.MAX_SAFE_INTEGER;
/**
 * Largest piece handed to Deno per event-loop turn: what Deno's HTTP/1.1
 * writer keeps as its per-connection buffer for a viewer that keeps up. A
 * 1 Mbit/s stream is ~12 KiB per 100 ms chunk, its keyframes 30–60 KiB, so
 * 8 KiB pieces take one to eight turns (milliseconds) per segment.
 */
const PIECE = 8 * 1024;

class StreamSink implements Sink, Tickable {
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  /** Deno has asked for a chunk and not been given one yet. */
  #wanted = false;
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
        // Deno asks again at once after each chunk: answer on the next turn,
        // so its writer flushes one piece before it gets another.
        pull: () => {
          this.#wanted = true;
          this.ticker.soon(this);
        },
        cancel: () => this.#finish(),
      },
      // No queue: a chunk exists only when a read asks for it.
      { highWaterMark: 0 },
    );
  }

  write(packet: Packet): boolean {
    if (this.#done || !this.#wanted || this.#current) return false;
    if (packet.isInit) {
      if (this.#sentInit) {
        this.close();
        return true;
      }
      this.#sentInit = true;
    }
    this.#current = packet.segment.bytes;
    this.#offset = 0;
    this.#nextPiece();
    return true;
  }

  /** Enqueues the next piece of the current segment (a view: no copy). */
  #nextPiece(): void {
    const bytes = this.#current!;
    const start = this.#offset;
    const end = Math.min(bytes.byteLength, start + PIECE);
    this.#wanted = false;
    this.#offset = end;
    if (end === bytes.byteLength) this.#current = null;
    try {
      this.#controller.enqueue(bytes.subarray(start, end));
    } catch {
      this.close(); // the stream errored or was closed under us: leave the room
    }
  }

  get pending(): number {
    return this.#done || (this.#wanted && !this.#current) ? 0 : NOT_READING;
  }

  /** The next pull() pumps; the ticker only keeps an eye on lag and stalls meanwhile. */
  backlogged(): void {
    if (!this.#done) this.ticker.wake(this);
  }

  /** The next piece of the current segment if Deno wants one, else the next packet. */
  pump(now: number): boolean {
    if (this.#done) return false;
    if (this.#wanted && this.#current) {
      this.#nextPiece();
      return this.subscriber?.backlogged ?? false;
    }
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

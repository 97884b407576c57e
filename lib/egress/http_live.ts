/**
 * A track as one plain HTTP stream, for ffplay, VLC or `ffmpeg -i URL`: the
 * init segment, media from the newest keyframe, then live. The response body
 * is a Sink; what Deno has not yet written to the socket counts as pending,
 * so a slow reader is skipped ahead by its Subscriber like any viewer. A
 * second init (the presenter restarted) ends the stream: players cannot take
 * a new header mid-stream, so they reconnect.
 */
import type { Packet } from "../hub/packet.ts";
import type { Room } from "../hub/room.ts";
import type { Sink } from "../hub/sink.ts";
import type { Subscriber } from "../hub/subscriber.ts";
import { NotFoundError } from "../errors.ts";
import type { Tickable, Ticker } from "../session/ticker.ts";

const QUEUE_BYTES = 256 * 1024;

class StreamSink implements Sink, Tickable {
  #controller!: ReadableStreamDefaultController<Uint8Array>;
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
        cancel: () => {
          this.#done = true;
          this.subscriber?.unsubscribe();
          this.ticker.remove(this);
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: QUEUE_BYTES }),
    );
  }

  write(packet: Packet): boolean {
    if (this.#done) return false;
    if (packet.isInit) {
      if (this.#sentInit) {
        this.subscriber?.unsubscribe();
        this.close();
        return true;
      }
      this.#sentInit = true;
    }
    this.#controller.enqueue(packet.segment.bytes);
    return true;
  }

  get pending(): number {
    return this.#done ? 0 : QUEUE_BYTES - (this.#controller.desiredSize ?? 0);
  }

  tick(now: number): void {
    this.subscriber?.pump(now);
  }

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

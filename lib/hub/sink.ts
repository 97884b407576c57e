import type { Packet } from "./packet.ts";

/**
 * Whatever listens to a track: a WebSocket viewer, an HTTP stream viewer, a
 * recorder. The hub never knows which. A Subscriber owns one Sink and decides
 * what to hand it and when; the transport adapter implements these three
 * members and calls `Subscriber.pump()` on a timer and after each flush.
 *
 * The sink chooses which bytes to send: a WebSocket sends `packet.wire`
 * (encoded once per segment and shared by every viewer), an HTTP viewer or a
 * recorder sends `packet.segment.bytes`. Neither may copy or mutate them.
 */
export interface Sink {
  /**
   * Take a packet for sending. Returns false when the transport cannot take it
   * now; the subscriber keeps it queued and tries again on the next pump.
   * Must never block, and must not throw for a slow or gone peer.
   */
  write(packet: Packet): boolean;
  /**
   * Bytes handed to the transport but not yet sent to the peer, e.g.
   * `WebSocket.bufferedAmount` or what an HTTP response stream still queues.
   * Polled: Deno's WebSocket has no drain event.
   */
  readonly pending: number;
  /**
   * The hub ends this sink (room ended, viewer too slow, server shutting
   * down). `code` is a WebSocket close code from `CLOSE` in lib/errors.ts; an
   * HTTP sink just ends its stream. Called at most once per sink.
   */
  close(code: number, reason: string): void;
}

import type { Packet } from "./packet.ts";

/**
 * Whatever listens to a track: a WebSocket viewer, an HTTP stream viewer, a
 * recorder. The hub never knows which. A Subscriber owns one Sink and decides
 * what to hand it and when.
 *
 * The sink chooses which bytes to send and how to frame them: a WebSocket
 * viewer frames `packet.segment` itself (lib/transport/wire.ts, encoded once
 * per packet and shared by every viewer), an HTTP viewer or a recorder sends
 * `packet.segment.bytes`. Neither may copy or mutate them.
 */
export interface Sink {
  /**
   * Take a packet for sending. Returns false when the transport cannot take it
   * now; the subscriber keeps it queued and tries again on the next pump.
   * Must never block, and must not throw for a slow or gone peer.
   */
  write(packet: Packet): boolean;
  /**
   * Take a text frame (a WebSocket text message) for sending; same contract
   * as `write`. Sinks without text (an HTTP stream) leave it out, and the
   * subscriber then ignores `send()`.
   */
  writeText?(text: string): boolean;
  /**
   * Bytes handed to the transport but not yet sent to the peer, e.g.
   * `WebSocket.bufferedAmount` or what an HTTP response stream still queues.
   * Polled: Deno's WebSocket has no drain event.
   */
  readonly pending: number;
  /**
   * The subscriber has data queued that this sink could not take yet: the
   * transport should call `Subscriber.pump()` again soon (on its next tick,
   * or when the peer drains) until pump() returns false. Called at most once
   * per offer; may be called again while already scheduled.
   */
  backlogged?(): void;
  /**
   * The hub ends this sink (room ended, viewer too slow, server shutting
   * down). `code` is a WebSocket close code from `CLOSE` in lib/errors.ts; an
   * HTTP sink just ends its stream. Called at most once per sink.
   */
  close(code: number, reason: string): void;
}

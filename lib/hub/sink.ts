import type { Segment } from "../media/segment.ts";

/**
 * Whatever listens to a track: a WebSocket viewer, an HTTP viewer, a recorder.
 * The hub never knows which.
 */
export interface Sink {
  /**
   * Offer a segment. Returns false when the sink cannot take it now (its
   * transport buffer is over its limit); the hub then keeps it queued or skips.
   * Must never block or throw for a slow peer.
   */
  write(segment: Segment, track: string): boolean;
  /** Bytes written but not yet flushed to the peer (e.g. WebSocket.bufferedAmount). */
  readonly pending: number;
  /** The hub ends this sink: room closed, viewer too slow, server shutting down. */
  close(reason: string): void;
}

import type { Segment } from "../media/segment.ts";

/**
 * One segment as the hub stores and fans it out: the parser's segment, the
 * track it belongs to and when it arrived (by the hub's injected clock).
 * Every viewer's queue holds references to the same Packet. How a packet is
 * framed for a peer (a WebSocket binary frame, plain bytes of an HTTP
 * stream) is the transport's business, not the hub's: see lib/transport/wire.ts.
 */
export class Packet {
  /**
   * Set by Track when it keeps the packet: which init of the track this
   * belongs to (the pull mode's `generation`) and, for media, its position
   * in that generation (0, 1, …; the pull mode's piece `n`). 0 until then.
   */
  generation = 0;
  seq = 0;

  constructor(
    readonly track: string,
    readonly segment: Segment,
    /** Arrival time in ms by the hub's clock; windows and lag are measured on it. */
    readonly arrivedAt: number,
  ) {}

  /** Payload size in bytes (what stats count; a wire frame adds a small header). */
  get size(): number {
    return this.segment.bytes.byteLength;
  }

  get isInit(): boolean {
    return this.segment.type === "init";
  }

  /** A media segment a new viewer may begin at. */
  get keyframe(): boolean {
    return this.segment.type === "media" && this.segment.keyframe;
  }
}

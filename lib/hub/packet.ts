import type { Segment } from "../media/segment.ts";
import { encodeMedia } from "../protocol.ts";

/**
 * One segment as the hub stores and fans it out: the parser's segment, the
 * track it belongs to and when it arrived (by the hub's injected clock).
 * Every viewer's queue holds references to the same Packet; the WebSocket
 * frame for it is encoded on first use and cached, so 500 viewers send one
 * Uint8Array.
 */
export class Packet {
  #wire: Uint8Array | null = null;

  constructor(
    readonly track: string,
    readonly segment: Segment,
    /** Arrival time in ms by the hub's clock; windows and lag are measured on it. */
    readonly arrivedAt: number,
  ) {}

  /** Payload size in bytes (what stats count; the wire frame adds a small header). */
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

  /** The binary WebSocket frame (lib/protocol.ts kind 1 or 2), encoded once. */
  get wire(): Uint8Array {
    if (this.#wire) return this.#wire;
    const s = this.segment;
    this.#wire = s.type === "init"
      ? encodeMedia({
        kind: "init",
        track: this.track,
        mime: s.mime,
        clockMs: s.clockMs,
        payload: s.bytes,
      })
      : encodeMedia({
        kind: "media",
        track: this.track,
        keyframe: s.keyframe,
        start: s.start,
        timestampMs: s.timestampMs,
        payload: s.bytes,
      });
    return this.#wire;
  }
}

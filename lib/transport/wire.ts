/**
 * The WebSocket binary frame of a packet (lib/protocol.ts kind 1 or 2),
 * encoded on first use and cached for as long as the packet lives, so 2,000
 * viewers of one segment send one Uint8Array. The cache is a WeakMap here in
 * the transport: the hub's Packet knows nothing about who listens or how.
 */
import type { Packet } from "../hub/packet.ts";
import { encodeMedia } from "../protocol.ts";

const frames = new WeakMap<Packet, Uint8Array<ArrayBuffer>>();

export function wireFrame(packet: Packet): Uint8Array<ArrayBuffer> {
  let frame = frames.get(packet);
  if (frame) return frame;
  const s = packet.segment;
  frame = s.type === "init"
    ? encodeMedia({
      kind: "init",
      track: packet.track,
      mime: s.mime,
      clockMs: s.clockMs,
      payload: s.bytes,
    })
    : encodeMedia({
      kind: "media",
      track: packet.track,
      keyframe: s.keyframe,
      start: s.start,
      timestampMs: s.timestampMs,
      payload: s.bytes,
    });
  frames.set(packet, frame);
  return frame;
}

/**
 * Test doubles for the hub: a Sink whose pending bytes tests control, a
 * clock tests advance, deterministic randomness and segment builders.
 * Imported only by *_test.ts files.
 */
import type { InitSegment, MediaSegment } from "../media/segment.ts";
import type { Packet } from "./packet.ts";
import type { RandomSource } from "./secret.ts";
import type { Sink } from "./sink.ts";

/** A sink that records what it was given. Set `pending` (or `buffering`) to simulate a slow peer. */
export class FakeSink implements Sink {
  pending = 0;
  /** When true, each write adds its size to `pending`: a peer that never reads. */
  buffering = false;
  /** When false, write() refuses. */
  accept = true;
  written: Packet[] = [];
  /** Text frames written, in order (see `sent` for both kinds interleaved). */
  texts: string[] = [];
  /** Everything written in order: timeline entries for packets, the text for text frames. */
  sent: Array<number | "init" | string> = [];
  /** How often the subscriber asked to be pumped again. */
  wakes = 0;
  closed: { code: number; reason: string } | null = null;

  constructor(options: { buffering?: boolean } = {}) {
    this.buffering = options.buffering ?? false;
  }

  write(packet: Packet): boolean {
    if (!this.accept || this.closed) return false;
    this.written.push(packet);
    this.sent.push(packet.segment.type === "init" ? "init" : packet.segment.timestampMs);
    if (this.buffering) this.pending += packet.size;
    return true;
  }

  writeText(text: string): boolean {
    if (!this.accept || this.closed) return false;
    this.texts.push(text);
    this.sent.push(text);
    if (this.buffering) this.pending += text.length;
    return true;
  }

  backlogged(): void {
    this.wakes++;
  }

  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }

  /** The peer read everything. */
  drain(): void {
    this.pending = 0;
  }

  /** Media timestamps written, with "init" for init segments. */
  get timeline(): Array<number | "init"> {
    return this.written.map((p) => p.segment.type === "init" ? "init" : p.segment.timestampMs);
  }
}

export function fakeClock(start = 1000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Deterministic bytes: a counter, so ids differ and tests repeat. */
export function fakeRandom(seed = 1): RandomSource {
  let n = seed;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = (n++ * 31) & 255;
    return bytes;
  };
}

export function initSegment(mime = 'video/webm; codecs="vp8"', size = 40): InitSegment {
  return {
    type: "init",
    container: "webm",
    mime,
    tracks: [{ number: 1, kind: "video", codec: "vp8" }],
    bytes: new Uint8Array(size).fill(1),
  };
}

export function mediaSegment(
  timestampMs: number,
  options: { keyframe?: boolean; size?: number } = {},
): MediaSegment {
  const keyframe = options.keyframe ?? false;
  return {
    type: "media",
    start: keyframe,
    keyframe,
    timestampMs,
    bytes: new Uint8Array(options.size ?? 100).fill(2),
  };
}

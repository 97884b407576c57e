/**
 * How each track's media timestamps keep to the presenter's clock, seen from a
 * viewer socket: for every media frame, its lateness = arrival − (the track's
 * `clockMs` + the frame's media time). Delivery only ever adds delay, so the
 * lowest lateness in a window is the timestamps' error plus a steady floor;
 * that floor moving over a run means a recorder's timestamps run fast or slow
 * against the clock (a drift no player can undo), and two tracks' floors
 * moving apart is lip sync lost at the source. Used by lip_sync_bench.ts.
 */
import { decodeMedia, decodeServer, encodeClient, PROTOCOL_VERSION } from "../lib/protocol.ts";

export interface Lateness {
  track: string;
  /** Arrival, Unix ms. */
  at: number;
  /** Arrival − (clockMs + media time), ms. */
  lateMs: number;
}

/** The server's clock shift for a track (`stats`), at a time (Unix ms). */
export interface Shift {
  track: string;
  at: number;
  shiftMs: number;
}

/** One track's first stream as received: its bytes (init onward) and its clock. */
export interface Captured {
  clockMs: number;
  bytes: Uint8Array[];
}

/** What a watch saw. */
export interface TrackClocks {
  lateness: Lateness[];
  shifts: Shift[];
  /** The first stream of each track in `capture`, for a look at its media. */
  streams: Map<string, Captured>;
}

/**
 * Watches `room` over a viewer socket and notes every media frame's lateness,
 * the clock shifts in `stats` and the bytes of the first stream of each track
 * in `capture` until `stop()`.
 */
export function watchTrackClocks(
  origin: string,
  room: string,
  capture: readonly string[] = [],
): { stop(): TrackClocks } {
  const ws = new WebSocket(`${origin.replace(/^http/, "ws")}/api/rooms/${room}/watch`);
  ws.binaryType = "arraybuffer";
  const clocks = new Map<string, number>();
  const seen: Lateness[] = [];
  const shifts: Shift[] = [];
  const streams = new Map<string, Captured>();
  /** Tracks whose first stream ended (a re-init): not captured further. */
  const done = new Set<string>();
  ws.onopen = () =>
    ws.send(encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "viewer", room }));
  ws.onmessage = (event) => {
    const now = performance.timeOrigin + performance.now();
    if (typeof event.data === "string") {
      const m = decodeServer(event.data);
      if (m.type === "ping") ws.send(encodeClient({ type: "pong", t: m.t }));
      if (m.type === "stats") {
        for (const t of m.tracks) {
          shifts.push({ track: t.name, at: now, shiftMs: t.clockShiftMs ?? 0 });
        }
      }
      return;
    }
    const frame = decodeMedia(new Uint8Array(event.data as ArrayBuffer));
    if (frame.kind === "init") {
      if (frame.clockMs) clocks.set(frame.track, frame.clockMs);
      else clocks.delete(frame.track);
      if (streams.has(frame.track)) done.add(frame.track);
      else if (frame.clockMs && capture.includes(frame.track)) {
        streams.set(frame.track, { clockMs: frame.clockMs, bytes: [frame.payload.slice()] });
      }
    } else if (frame.kind === "media") {
      if (!done.has(frame.track)) streams.get(frame.track)?.bytes.push(frame.payload.slice());
      const clock = clocks.get(frame.track);
      if (clock === undefined) return;
      seen.push({ track: frame.track, at: now, lateMs: now - (clock + frame.timestampMs) });
    }
  };
  return {
    stop() {
      ws.close();
      return { lateness: seen, shifts, streams };
    },
  };
}

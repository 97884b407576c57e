/**
 * How a viewer gets its media: over the watch WebSocket (the default, the
 * lowest delay) or by pulling pieces over HTTP (lib/client/pull_track.ts),
 * which any cache or CDN in front of the server can share. `?transport=http`
 * asks for pull mode; a WebSocket that cannot be opened at all (a proxy or
 * firewall that refuses Upgrade) switches to it by itself. Pure.
 */
import type { SocketStatus } from "./socket.ts";

export type Transport = "ws" | "http";

/** The transport a page URL's query asks for (`?transport=http`), else the WebSocket. */
export function requestedTransport(search: string): Transport {
  return new URLSearchParams(search).get("transport") === "http" ? "http" : "ws";
}

/**
 * Watches the WebSocket's status: after `failures` failed attempts without
 * it ever having opened, `observe()` says to pull over HTTP instead. A
 * socket that opened once and dropped later is a network blip: it reconnects.
 */
export class SocketFallback {
  #opened = false;
  #failures = 0;

  constructor(readonly failures = 2) {}

  /**
   * Feed every status change with its close (the socket's `onStatus`
   * arguments); true once, the moment to switch to pull mode. Only a
   * `reconnecting` with a close is a failed attempt: the socket also says
   * `reconnecting` when it tries again.
   */
  observe(status: SocketStatus, close?: { code: number }): boolean {
    if (status === "open") this.#opened = true;
    if (this.#opened || status !== "reconnecting" || !close) return false;
    return ++this.#failures === this.failures;
  }
}

/** What a pull-mode viewer without a WebSocket shows of the room, from `GET /api/rooms/:id`. */
export interface RoomStatus {
  title: string;
  viewers: number;
  live: boolean;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The room's title, viewers and liveness; "not-found" on 404, null when the server could not say. */
export async function roomStatus(
  fetch: Fetch,
  id: string,
): Promise<RoomStatus | "not-found" | null> {
  try {
    const res = await fetch(`/api/rooms/${encodeURIComponent(id)}`);
    if (res.status === 404) {
      await res.body?.cancel();
      return "not-found";
    }
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    const o = await res.json();
    return {
      title: typeof o?.title === "string" ? o.title : "",
      viewers: typeof o?.viewers === "number" ? o.viewers : 0,
      live: o?.live === true,
    };
  } catch {
    return null;
  }
}

/**
 * Bytes a viewer page received, as Chromium's DevTools reports them
 * (bench/profile_bench.ts): WebSocket frames and HTTP responses, summed into
 * a start-up figure and a steady rate per minute, and what they carried
 * (which track, which message). Pure.
 */
import { Buffer } from "node:buffer";
import { decodeMedia } from "../lib/protocol.ts";

/** One thing received, `at` ms after the page load began. */
export interface Received {
  at: number;
  kind: "ws" | "http";
  bytes: number;
  /** What it was: a track's media ("audio"), a message ("stats"), or an HTTP path's kind. */
  label: string;
}

/**
 * Bytes on the wire of a WebSocket frame from DevTools' `webSocketFrameReceived`: the payload
 * (text as UTF-8; binary comes base64-encoded) plus the header of an unmasked server frame.
 */
export function frameBytes(opcode: number, payloadData: string): number {
  const payload = opcode === 2 ? base64Length(payloadData) : utf8Length(payloadData);
  const header = payload <= 125 ? 2 : payload <= 0xffff ? 4 : 10;
  return payload + header;
}

/** A WebSocket frame's track (binary media) or message type (text), e.g. "audio", "ink". */
export function frameLabel(opcode: number, payloadData: string): string {
  try {
    if (opcode === 2) return decodeMedia(Buffer.from(payloadData, "base64")).track;
    return String(JSON.parse(payloadData).type);
  } catch {
    return "other";
  }
}

/**
 * What an HTTP response was, by its path: "page", "slide", or the route with ids as ":id"
 * ("/api/probe", "/api/rooms/:id/camera-snapshot.jpg").
 */
export function httpLabel(url: string): string {
  const path = new URL(url).pathname;
  if (path.startsWith("/s/")) return "page";
  if (path.startsWith("/slides/")) return "slide";
  // An id: a long run of base64url/hex that is not a plain word.
  const id = /^(?=.*[\dA-Z_-])[\w-]{8,}$/;
  return path.split("/").map((s) => (id.test(s) ? ":id" : s)).join("/");
}

function base64Length(b64: string): number {
  const padding = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
  return (b64.length / 4) * 3 - padding;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** Steady bytes per minute by label after `startupMs` until `endMs`, largest first. */
export function byLabel(received: readonly Received[], startupMs: number, endMs: number) {
  const sums = new Map<string, number>();
  for (const r of received) {
    if (r.at >= startupMs && r.at < endMs) sums.set(r.label, (sums.get(r.label) ?? 0) + r.bytes);
  }
  const scale = 60_000 / (endMs - startupMs);
  return [...sums].map(([label, bytes]) => ({ label, perMinute: bytes * scale }))
    .sort((a, b) => b.perMinute - a.perMinute);
}

/** Bytes in the first `startupMs`, and after it until `endMs` scaled to a minute, split by kind. */
export function totals(received: readonly Received[], startupMs: number, endMs: number) {
  let startup = 0, ws = 0, http = 0;
  for (const r of received) {
    if (r.at < startupMs) startup += r.bytes;
    else if (r.at < endMs && r.kind === "ws") ws += r.bytes;
    else if (r.at < endMs) http += r.bytes;
  }
  const scale = 60_000 / (endMs - startupMs);
  return {
    startup,
    perMinute: (ws + http) * scale,
    wsPerMinute: ws * scale,
    httpPerMinute: http * scale,
  };
}

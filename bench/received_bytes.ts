/**
 * Bytes a viewer page received, as Chromium's DevTools reports them
 * (bench/profile_bench.ts): WebSocket frames and HTTP responses, summed into
 * a start-up figure and a steady rate per minute. Pure.
 */

/** One thing received, `at` ms after the page load began. */
export interface Received {
  at: number;
  kind: "ws" | "http";
  bytes: number;
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

function base64Length(b64: string): number {
  const padding = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
  return (b64.length / 4) * 3 - padding;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).byteLength;
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

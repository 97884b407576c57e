/**
 * What a session needs from its connection: send text and binary frames, know
 * how much is still buffered, close with a code. `lib/transport/deno_ws.ts`
 * maps a Deno WebSocket onto it; tests use a fake.
 */
export interface Peer {
  sendText(text: string): void;
  sendBinary(bytes: Uint8Array): void;
  /** Bytes queued but not yet sent (WebSocket.bufferedAmount). */
  readonly buffered: number;
  readonly open: boolean;
  close(code: number, reason: string): void;
}

/**
 * Test double for `Peer`: records text (decoded as server messages, which
 * also proves every message the session sends is one a client accepts),
 * binary frames and the close. Imported only by *_test.ts files.
 */
import { type ClientMessage, decodeServer, encodeClient, type ServerMessage } from "../protocol.ts";
import type { Peer } from "./peer.ts";
import type { Session } from "./session.ts";

export class FakePeer implements Peer {
  messages: ServerMessage[] = [];
  binary: Uint8Array[] = [];
  closed: { code: number; reason: string } | null = null;
  buffered = 0;

  get open(): boolean {
    return this.closed === null;
  }

  sendText(text: string): void {
    this.messages.push(decodeServer(text));
  }

  sendBinary(bytes: Uint8Array): void {
    this.binary.push(bytes);
  }

  close(code: number, reason: string): void {
    this.closed ??= { code, reason };
  }

  /** Message types received so far, in order. */
  get types(): string[] {
    return this.messages.map((m) => m.type);
  }

  /** The `error` messages received so far. */
  get errors(): Extract<ServerMessage, { type: "error" }>[] {
    return this.messages.filter((m) => m.type === "error");
  }
}

/** Sends `message` to `session` the way the transport does: as a text frame. */
export function say(session: Session, message: ClientMessage): void {
  session.onText(encodeClient(message));
}

/** The peer's close frame, read afresh (a test that checked `closed === null` narrowed it). */
export function closeOf(peer: FakePeer): { code: number; reason: string } | null {
  return peer.closed;
}

/**
 * The edge between Deno's WebSocket and a session: upgrade, map the socket
 * onto `Peer`, feed frames in, register with the shared ticker while open.
 */
import { AppError, CLOSE } from "../errors.ts";
import { MAX_CLIENT_TEXT, MAX_MEDIA_MESSAGE_BYTES } from "../protocol.ts";
import type { Peer } from "../session/peer.ts";
import type { Session } from "../session/session.ts";
import type { Ticker } from "../session/ticker.ts";
import type { PendingSlot } from "../limits/pending_sockets.ts";

/** A plain HTTP request reached a WebSocket endpoint: 426. */
export class UpgradeRequiredError extends AppError {
  override name = "UpgradeRequiredError";
  readonly status = 426;
  readonly code = "upgrade-required";
}

/**
 * A Deno WebSocket as a Peer. A class, not an object of closures: its
 * methods live once on the prototype instead of once per viewer.
 */
class SocketPeer implements Peer {
  constructor(readonly socket: WebSocket) {}

  sendText(text: string): void {
    this.socket.send(text);
  }

  sendBinary(bytes: Uint8Array): void {
    this.socket.send(bytes as Uint8Array<ArrayBuffer>);
  }

  get buffered(): number {
    return this.socket.bufferedAmount;
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(code: number, reason: string): void {
    try {
      this.socket.close(code, reason);
    } catch {
      // already closing
    }
  }
}

/**
 * Upgrades `req` and runs the session `create` makes for it. `slot` (a place
 * among the connections that have not said hello) is released at the hello
 * or the close.
 */
export function acceptWebSocket(
  req: Request,
  ticker: Ticker,
  create: (peer: Peer) => Session,
  slot?: PendingSlot,
): Response {
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    throw new UpgradeRequiredError(
      "this endpoint speaks WebSocket: connect with new WebSocket(url)",
    );
  }
  let upgraded;
  try {
    upgraded = Deno.upgradeWebSocket(req);
  } catch (err) {
    slot?.release();
    throw err;
  }
  const { socket, response } = upgraded;
  socket.binaryType = "arraybuffer";
  const peer = new SocketPeer(socket);
  const session = create(peer);
  socket.onopen = () => ticker.add(session);
  socket.onmessage = (event) => {
    // Deno reads a frame whole before this runs (no maxPayload option): refuse an
    // oversized one at once, before any parsing, so it is garbage right away.
    const size = typeof event.data === "string"
      ? event.data.length
      : (event.data as ArrayBuffer).byteLength;
    const max = typeof event.data === "string" ? MAX_CLIENT_TEXT : MAX_MEDIA_MESSAGE_BYTES;
    if (size > max) return session.end(CLOSE.tooBig, `message too big (at most ${max} bytes)`);
    if (typeof event.data === "string") session.onText(event.data);
    else session.onBinary(new Uint8Array(event.data as ArrayBuffer));
    if (slot && session.greeted) slot.release();
  };
  socket.onclose = () => {
    slot?.release();
    session.closed();
    ticker.remove(session);
  };
  socket.onerror = () => {};
  return response;
}

/**
 * A viewer's WebSocket: after hello it joins the room as one Subscriber
 * watching every track, and is itself the Sink: each packet goes out as its
 * shared, encoded-once wire frame. Backpressure is the subscriber's job; this
 * only reports the socket's buffered bytes. It chats under the name from its
 * hello (see lib/chat/text.ts), or a guest name.
 */
import type { Hub } from "../hub/hub.ts";
import type { Packet } from "../hub/packet.ts";
import type { Sink } from "../hub/sink.ts";
import type { Subscriber } from "../hub/subscriber.ts";
import { ForbiddenError, ProtocolError, UserError } from "../errors.ts";
import type { ClientMessage, DeliveryStats } from "../protocol.ts";
import { viewerName } from "../chat/text.ts";
import { type Hello, Session, type SessionDeps } from "./session.ts";

export interface ViewerDeps extends SessionDeps {
  hub: Hub;
  roomId: string;
}

export class ViewerSession extends Session implements Sink {
  #hub: Hub;
  #roomId: string;
  #subscriber: Subscriber | null = null;

  constructor(deps: ViewerDeps) {
    super("viewer", deps);
    this.#hub = deps.hub;
    this.#roomId = deps.roomId;
  }

  protected greet(hello: Hello): void {
    if (hello.room !== this.#roomId) {
      throw new ProtocolError("hello names another room than the URL");
    }
    const room = this.#hub.get(this.#roomId);
    this.#subscriber = room.join(this, {
      label: `viewer ${this.participant}`,
      tracks: hello.tracks,
    });
    const { name, note } = viewerName(hello.name, this.participant);
    this.welcome(room, name, note);
  }

  protected handle(message: ClientMessage): void {
    if (message.type === "chat-delete" || message.type === "chat-mute") {
      return this.sendError(new ForbiddenError("only the presenter can moderate the chat"));
    }
    this.sendError(new UserError(`"${message.type}" is not something a viewer can send`));
  }

  protected handleBinary(): void {
    throw new ProtocolError("viewers do not send media");
  }

  protected onTick(now: number): void {
    this.#subscriber?.pump(now);
  }

  protected override delivery(): DeliveryStats | undefined {
    const s = this.#subscriber?.stats;
    if (!s) return undefined;
    return {
      queued: s.queued,
      pendingBytes: this.peer.buffered,
      skipped: s.skipped,
      sentBytes: s.sentBytes,
    };
  }

  protected release(): void {
    this.#subscriber?.unsubscribe();
  }

  // Sink: called by the subscriber.
  write(packet: Packet): boolean {
    if (!this.peer.open) return false;
    this.peer.sendBinary(packet.wire);
    return true;
  }

  get pending(): number {
    return this.peer.buffered;
  }

  close(code: number, reason: string): void {
    this.hubClosed(code, reason);
  }
}

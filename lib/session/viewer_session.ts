/**
 * A viewer's WebSocket: after hello it joins the room as one Subscriber
 * watching every track, and is itself the Sink: each packet goes out as its
 * shared, encoded-once wire frame (lib/transport/wire.ts), and every text
 * frame (chat, state, errors) goes through the same bounded queue. Backpressure
 * is the subscriber's job; this reports the socket's buffered bytes and asks
 * the ticker to pump it while it is behind. It chats under the name from its
 * hello (see lib/chat/text.ts), or a guest name.
 *
 * A viewer's main connection gets a lane token in its `welcome`; a
 * connection whose hello names it is that viewer's media lane
 * (lib/session/lanes.ts): it joins as a lane (not counted, no chat, state or
 * slides), gets only media and `stats`, and ends with its main connection.
 */
import type { Hub } from "../hub/hub.ts";
import type { Packet } from "../hub/packet.ts";
import type { Sink } from "../hub/sink.ts";
import type { Subscriber } from "../hub/subscriber.ts";
import { ForbiddenError, ProtocolError, UserError } from "../errors.ts";
import type { ClientMessage, DeliveryStats } from "../protocol.ts";
import { viewerName } from "../chat/text.ts";
import { wireFrame } from "../transport/wire.ts";
import { type SendBudget, sendBudget } from "../transport/send_budget.ts";
import { type Delivery, type Hello, Session, type SessionDeps } from "./session.ts";
import { type Lanes, lanesOf } from "./lanes.ts";

export interface ViewerDeps extends SessionDeps {
  hub: Hub;
  roomId: string;
  /** Bytes of frames the process sends per event-loop turn (default: the server's one budget). */
  budget?: SendBudget;
}

export class ViewerSession extends Session implements Sink {
  #hub: Hub;
  #roomId: string;
  #subscriber: Subscriber | null = null;
  #budget: SendBudget;
  /** Frames handed to the socket, to tell a draining socket from a stuck one. */
  #writes = 0;
  /** This connection's lane token (as the main connection, or as its lane), once greeted. */
  #lane: { lanes: Lanes; token: string; isLane: boolean } | null = null;

  constructor(deps: ViewerDeps) {
    super("viewer", deps);
    this.#hub = deps.hub;
    this.#roomId = deps.roomId;
    this.#budget = deps.budget ?? sendBudget;
  }

  protected greet(hello: Hello): void {
    if (hello.room !== this.#roomId) {
      throw new ProtocolError("hello names another room than the URL");
    }
    const room = this.#hub.get(this.#roomId);
    const lanes = lanesOf(room);
    if (hello.lane !== undefined) {
      // Throws for an unknown token (1008); ends the lane this one replaces (4009).
      lanes.attach(hello.lane, this);
      this.#lane = { lanes, token: hello.lane, isLane: true };
      this.#subscriber = room.join(this, {
        label: `lane ${this.participant}`,
        lane: true,
        ...(hello.tracks ? { tracks: hello.tracks } : {}),
      });
      return this.welcomeMediaOnly(room, hello.lane);
    }
    this.#subscriber = room.join(this, {
      label: `viewer ${this.participant}`,
      // A pull-mode viewer (hello tracks: []) gets its media over HTTP: state and chat only.
      ...(hello.tracks ? { tracks: hello.tracks } : {}),
    });
    this.#lane = { lanes, token: lanes.open(), isLane: false };
    const { name, note } = viewerName(hello.name, this.participant);
    this.welcome(room, name, note, this.#lane.token);
  }

  protected handle(message: ClientMessage): void {
    if (message.type === "subscribe") {
      return this.#hub.get(this.#roomId).choose(this.#subscriber!, message.tracks);
    }
    if (message.type === "chat-delete" || message.type === "chat-mute") {
      return this.sendError(new ForbiddenError("only the presenter can moderate the chat"));
    }
    this.sendError(new UserError(`"${message.type}" is not something a viewer can send`));
  }

  protected handleBinary(): void {
    throw new ProtocolError("viewers do not send media");
  }

  protected override deliver(text: string, how: Delivery): void {
    const sub = this.#subscriber;
    // Before hello, and once the hub has let go (e.g. the `ended` notice), straight out.
    if (!sub || sub.closed) return super.deliver(text, how);
    sub.send({ text, ...how });
  }

  override pump(now: number): boolean {
    const writes = this.#writes;
    const more = this.#subscriber?.pump(now) ?? false;
    // Still behind but the socket took something: it is draining, try again next turn.
    if (more && this.#writes > writes) this.ticker.soon(this);
    return more;
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
    const lane = this.#lane;
    if (lane?.isLane) lane.lanes.detach(lane.token, this);
    else if (lane) lane.lanes.close(lane.token);
  }

  // Sink: called by the subscriber.
  write(packet: Packet): boolean {
    if (!this.peer.open) return false;
    const frame = wireFrame(packet);
    if (!this.#budget.take(frame.byteLength)) {
      // Enough copies in flight for this turn: stay queued, go out on the next.
      this.ticker.soon(this);
      return false;
    }
    this.peer.sendBinary(frame);
    this.#writes++;
    return true;
  }

  writeText(text: string): boolean {
    if (!this.peer.open) return false;
    this.peer.sendText(text);
    this.#writes++;
    return true;
  }

  get pending(): number {
    return this.peer.buffered;
  }

  /** Data was left queued: the socket usually drains within a turn, so look again then. */
  backlogged(): void {
    this.ticker.soon(this);
  }

  close(code: number, reason: string): void {
    this.hubClosed(code, reason);
  }
}

/**
 * The part every WebSocket session shares: decode each frame, insist on a
 * hello first, keep the heartbeat, and turn any thrown error into one clear
 * close (lib/errors.ts decides the code and text). Subclasses handle the
 * role-specific messages. Called only from the connection's event handlers
 * and the shared ticker, never concurrently.
 */
import { CLOSE, ProtocolError, toHttpStatus, toWsClose } from "../errors.ts";
import type { Logger } from "../log.ts";
import {
  type ClientMessage,
  decodeClient,
  encodeServer,
  PROTOCOL_VERSION,
  type Role,
  type ServerMessage,
} from "../protocol.ts";
import { Heartbeat, type HeartbeatLimits } from "./heartbeat.ts";
import type { Peer } from "./peer.ts";
import type { Room } from "../hub/room.ts";

/** Room state changes that only move the viewer count go out at most this often. */
const STATE_INTERVAL_MS = 1000;

export type Hello = Extract<ClientMessage, { type: "hello" }>;

export interface SessionDeps {
  peer: Peer;
  log: Logger;
  now: () => number;
  heartbeat?: HeartbeatLimits;
}

export abstract class Session {
  protected readonly peer: Peer;
  protected readonly log: Logger;
  protected readonly now: () => number;
  #heartbeat: Heartbeat;
  #greeted = false;
  #ended = false;
  #stateRevision = -1;
  #stateShape = "";
  #stateAt = -Infinity;
  /** Set by `greet()`: the room this connection belongs to. */
  protected room: Room | null = null;
  /** This connection's id, shown to others as the author of its chat lines. */
  readonly participant: string = crypto.randomUUID().slice(0, 8);

  constructor(readonly role: Role, deps: SessionDeps) {
    this.peer = deps.peer;
    this.log = deps.log;
    this.now = deps.now;
    this.#heartbeat = new Heartbeat(deps.now(), deps.heartbeat);
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** A text frame arrived. */
  onText(text: string): void {
    this.#guard(() => {
      this.#heartbeat.heard(this.now());
      const message = decodeClient(text);
      if (message.type === "ping") return this.send({ type: "pong", t: message.t });
      if (message.type === "pong") return;
      if (message.type === "hello") return this.#hello(message);
      if (!this.#greeted) throw new ProtocolError("send hello first");
      this.handle(message);
    });
  }

  /** A binary frame arrived. */
  onBinary(bytes: Uint8Array): void {
    this.#guard(() => {
      this.#heartbeat.heard(this.now());
      if (!this.#greeted) throw new ProtocolError("send hello first");
      this.handleBinary(bytes);
    });
  }

  /** Called by the shared ticker. */
  tick(now: number): void {
    if (this.#ended) return;
    this.#guard(() => {
      const action = this.#heartbeat.check(now);
      if (action === "ping") this.send({ type: "ping", t: Math.round(now) });
      else if (action === "drop-no-hello") this.end(CLOSE.timeout, "no hello within 10 s");
      else if (action === "drop-silent") this.end(CLOSE.timeout, "connection silent for 30 s");
      else {
        this.onTick(now);
        this.#sendStateIfChanged(now);
      }
    });
  }

  /** The hub ended this connection (room ended, taken over, too slow). */
  hubClosed(code: number, reason: string): void {
    if (code === CLOSE.roomEnded) this.send({ type: "ended", reason });
    this.end(code, reason);
  }

  /** Sends `state` at once when liveness or tracks change, else at most once a second. */
  #sendStateIfChanged(now: number): void {
    const room = this.room;
    if (!room || room.revision === this.#stateRevision) return;
    const state = room.state();
    const shape = JSON.stringify([state.live, state.tracks]);
    if (shape === this.#stateShape && now - this.#stateAt < STATE_INTERVAL_MS) return;
    this.#stateRevision = room.revision;
    this.#stateShape = shape;
    this.#stateAt = now;
    this.send({ type: "state", ...state });
  }

  /** Sends the welcome and the first state; called by subclasses at the end of `greet()`. */
  protected welcome(room: Room): void {
    this.room = room;
    this.send({
      type: "welcome",
      v: PROTOCOL_VERSION,
      role: this.role,
      room: { id: room.id, title: room.title },
      participant: this.participant,
    });
    this.#sendStateIfChanged(this.now());
  }

  /** The socket closed (either side): release everything. Idempotent. */
  closed(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.release();
  }

  /** Ends the session from the server side. */
  end(code: number, reason: string): void {
    if (this.#ended) return;
    this.closed();
    this.peer.close(code, reason);
  }

  send(message: ServerMessage): void {
    if (this.peer.open) this.peer.sendText(encodeServer(message));
  }

  /** Tells the peer what went wrong without closing (e.g. a bad chat message). */
  sendError(err: unknown): void {
    const { code, message } = toHttpStatus(err, this.log);
    this.send({ type: "error", code, message });
  }

  #hello(hello: Hello): void {
    if (this.#greeted) throw new ProtocolError("hello was already sent on this connection");
    if (hello.v !== PROTOCOL_VERSION) {
      throw new ProtocolError(
        `protocol version ${hello.v} is not ${PROTOCOL_VERSION}; reload the page`,
      );
    }
    if (hello.role !== this.role) {
      throw new ProtocolError(`this endpoint is for the ${this.role}, not the ${hello.role}`);
    }
    this.greet(hello);
    this.#greeted = true;
    this.#heartbeat.greeted();
  }

  #guard(work: () => void): void {
    if (this.#ended) return;
    try {
      work();
    } catch (err) {
      const { code, reason } = toWsClose(err, this.log);
      if (code !== CLOSE.internal) this.sendError(err);
      this.end(code, reason);
    }
  }

  /** Check the hello and attach to the room; throw to refuse. */
  protected abstract greet(hello: Hello): void;
  protected abstract handle(message: ClientMessage): void;
  protected abstract handleBinary(bytes: Uint8Array): void;
  protected abstract onTick(now: number): void;
  protected abstract release(): void;
}

/**
 * The part every WebSocket session shares: decode each frame, insist on a
 * hello first, keep the heartbeat, take part in the room's chat, and turn any
 * thrown error into one clear close (lib/errors.ts decides the code and
 * text). Subclasses handle the role-specific messages. Called only from the
 * connection's event handlers and the shared ticker, never concurrently.
 *
 * Every text frame goes out through `deliver()`, which a viewer routes into
 * its bounded Subscriber queue (lib/hub/subscriber.ts), so a viewer that does
 * not read cannot grow the server's memory through chat or state either:
 * `state` is keyed (a newer one replaces a queued one), chat lines are
 * droppable, and pings/pongs are keyed too.
 *
 * Chat: every greeted session is a member of its room's ChatRoom (so the
 * chat reaches every connection of the room) and gets `chat-history` after
 * `welcome`. A chat message that is refused (rate limit, muted, empty, too
 * long) gets an `error` naming the reason; the connection stays.
 */
import type { ChatMember, ChatRoom } from "../chat/chat_room.ts";
import { type RateLimitOptions, TokenBucket } from "../limits/token_bucket.ts";
import type { ChatRooms } from "../chat/registry.ts";
import {
  AppError,
  CLOSE,
  ProtocolError,
  RateLimitError,
  toHttpStatus,
  toWsClose,
  UserError,
} from "../errors.ts";
import type { Logger } from "../log.ts";
import {
  type ClientMessage,
  decodeClient,
  type DeliveryStats,
  encodeServer,
  PROTOCOL_VERSION,
  type Role,
  type ServerMessage,
} from "../protocol.ts";
import { Heartbeat, type HeartbeatLimits } from "./heartbeat.ts";
import type { Peer } from "./peer.ts";
import type { Room } from "../hub/room.ts";
import type { TextFrame } from "../hub/subscriber.ts";
import type { StateFeeds, StateMember } from "./state_feed.ts";
import type { Tickable, Ticker } from "./ticker.ts";
import type { Presentation, PresentationMember, Presentations } from "../slides/presentation.ts";

/** How a text frame may be treated on its way out (see TextFrame). */
export type Delivery = Omit<TextFrame, "text">;
/**
 * A track whose publisher has sent nothing for this long says so in `stats`
 * (`idleMs`): recorders deliver every ~100 ms, so this is a stall, and a
 * viewer must not take the silence for its own slow link.
 */
const IDLE_REPORT_MS = 500;
/** Every connection gets `stats` this often (the studio's keyframe check, viewers' profiles). */
export const STATS_INTERVAL_MS = 2000;

export type Hello = Extract<ClientMessage, { type: "hello" }>;

/**
 * A room's figures for `stats`, computed once per ticker time: the wheel
 * runs ~100 heartbeats a tick with the same `now`, so 2,000 viewers of one
 * room cost one `room.stats()` a tick instead of 1,000 a second.
 */
const statsCache = new WeakMap<Room, { now: number; stats: ReturnType<Room["stats"]> }>();
function roomStats(room: Room, now: number): ReturnType<Room["stats"]> {
  const cached = statsCache.get(room);
  if (cached?.now === now) return cached.stats;
  const stats = room.stats(now);
  statsCache.set(room, { now, stats });
  return stats;
}

/** What a session reports for metrics; see lib/metrics.ts. */
export interface SessionCounters {
  /** A request on this connection was refused; `reason` is the error code. */
  rejected(reason: string): void;
}

export interface SessionDeps {
  peer: Peer;
  log: Logger;
  now: () => number;
  /** The chat of each room. */
  chat: ChatRooms;
  /** Pumps backlogged connections and runs heartbeats. */
  ticker: Ticker;
  /** The `state` message of each room, encoded once per revision. */
  states: StateFeeds;
  /** Per-connection chat limit (default 5 messages per 5 s). */
  chatLimit?: RateLimitOptions;
  counters?: SessionCounters;
  heartbeat?: HeartbeatLimits;
  /** Slides and ink of each room; connections follow their room's from `welcome`. */
  slides?: Presentations;
}

export abstract class Session implements ChatMember, StateMember, Tickable, PresentationMember {
  protected readonly peer: Peer;
  protected readonly log: Logger;
  protected readonly now: () => number;
  protected readonly ticker: Ticker;
  #states: StateFeeds;
  #heartbeat: Heartbeat;
  #greeted = false;
  #ended = false;
  #statsAt = -Infinity;
  /** Set by `greet()`: the room this connection belongs to. */
  protected room: Room | null = null;
  /** This connection's id, shown to others as the author of its chat lines. */
  readonly participant: string = crypto.randomUUID().slice(0, 8);
  /** The name this connection chats under; set by `welcome()`. */
  name = "";
  #chats: ChatRooms;
  #chat: ChatRoom | null = null;
  #chatLimit: TokenBucket;
  #counters: SessionCounters | undefined;
  #slides: Presentations | undefined;
  /** Set by `welcome()` when the server has slides: the room's slides and ink. */
  protected presentation: Presentation | null = null;

  constructor(readonly role: Role, deps: SessionDeps) {
    this.peer = deps.peer;
    this.log = deps.log;
    this.now = deps.now;
    this.ticker = deps.ticker;
    this.#states = deps.states;
    this.#heartbeat = new Heartbeat(deps.now(), deps.heartbeat);
    this.#chats = deps.chat;
    this.#chatLimit = new TokenBucket({ now: deps.now, ...deps.chatLimit });
    this.#counters = deps.counters;
    this.#slides = deps.slides;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** True once the hello was accepted. */
  get greeted(): boolean {
    return this.#greeted;
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
      if (message.type === "chat") return this.chatSafely((chat) => this.#post(chat, message.text));
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

  /** Called by the ticker's wheel about once a second. */
  heartbeat(now: number): void {
    if (this.#ended) return;
    this.#guard(() => {
      const action = this.#heartbeat.check(now);
      if (action === "ping") this.send({ type: "ping", t: Math.round(now) });
      else if (action === "drop-no-hello") {
        this.end(
          CLOSE.timeout,
          `no hello within ${this.#heartbeat.limits.helloTimeoutMs / 1000} s`,
        );
      } else if (action === "drop-silent") this.end(CLOSE.timeout, "connection silent for 30 s");
      else this.sendStatsIfDue(now);
    });
  }

  /**
   * Sends `stats` when STATS_INTERVAL_MS have passed since the last (or since
   * `welcome`): the room's per-track figures (keyframe spacing, bitrate,
   * skips) plus what `delivery()` adds for this connection. Runs from
   * `heartbeat()`, i.e. on the ticker's 1 s wheel; only the newest queued
   * `stats` is kept for a viewer that is behind.
   */
  sendStatsIfDue(now: number): void {
    const room = this.room;
    if (!room || now - this.#statsAt < STATS_INTERVAL_MS) return;
    this.#statsAt = now;
    const stats = roomStats(room, now);
    const delivery = this.delivery();
    const message: ServerMessage = {
      type: "stats",
      viewers: stats.viewers,
      tracks: stats.tracks.map((t) => ({
        name: t.name,
        bitrate: t.bitrate,
        keyframeIntervalMs: t.keyframeIntervalMs,
        ...(t.keyframeAgeMs === null ? {} : { keyframeAgeMs: t.keyframeAgeMs }),
        skipped: t.skipped,
        viewers: t.viewers,
        ...(t.clockShiftMs ? { clockShiftMs: t.clockShiftMs } : {}),
        ...(t.idleMs >= IDLE_REPORT_MS ? { idleMs: Math.round(t.idleMs) } : {}),
      })),
      ...(delivery ? { delivery } : {}),
    };
    this.deliver(encodeServer(message), { key: "stats" });
  }

  /** This connection's own delivery figures for `stats`; viewers only. */
  protected delivery(): DeliveryStats | undefined {
    return undefined;
  }

  /** Called by the ticker while this session is awake (see Ticker.wake); true to stay awake. */
  pump(_now: number): boolean {
    return false;
  }

  /** The hub ended this connection (room ended, taken over, too slow). */
  hubClosed(code: number, reason: string): void {
    if (code === CLOSE.roomEnded) this.send({ type: "ended", reason });
    this.end(code, reason);
  }

  /**
   * Sends the welcome and the first state, and joins the room's chat under
   * `name` (which sends `chat-history`); called by subclasses at the end of
   * `greet()`. A `note` (e.g. why the asked-for name was not taken) follows
   * as an `error` the connection survives. `lane`: the token this viewer's
   * media lane will name (lib/session/lanes.ts).
   */
  protected welcome(room: Room, name: string, note?: string, lane?: string): void {
    this.name = name;
    this.welcomeMediaOnly(room, lane);
    this.#states.join(room, this);
    this.#chat = this.#chats.for(room);
    this.#chat.join(this);
    this.presentation = this.#slides?.for(room) ?? null;
    this.presentation?.join(this);
    if (note) this.send({ type: "error", code: "bad-request", message: note });
  }

  /**
   * The welcome alone (a viewer's media lane: no state, chat or
   * presentation, but `stats` from now on); `welcome()` begins with it too.
   */
  protected welcomeMediaOnly(room: Room, lane?: string): void {
    this.room = room;
    this.send({
      type: "welcome",
      v: PROTOCOL_VERSION,
      role: this.role,
      room: { id: room.id, title: room.title },
      participant: this.participant,
      ...(this.name ? { name: this.name } : {}),
      ...(lane ? { lane } : {}),
    });
    this.#statsAt = this.now();
  }

  /**
   * Runs a chat action; a refusal (an AppError) becomes an `error` message
   * and the connection stays. Anything else is a bug and ends it.
   */
  protected chatSafely(action: (chat: ChatRoom) => void): void {
    const chat = this.#chat;
    if (!chat && this.#greeted) {
      // Greeted without a chat: a media lane. A client bug, but not worth the lane.
      return this.sendError(new UserError("a lane carries media only; chat on the main socket"));
    }
    if (!chat) throw new ProtocolError("send hello first");
    try {
      action(chat);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      this.sendError(err);
    }
  }

  #post(chat: ChatRoom, text: string): void {
    chat.post(this, text, () => {
      const take = this.#chatLimit.take();
      if (take.ok) return;
      const { capacity, windowMs } = this.#chatLimit;
      throw new RateLimitError(
        `slow down: at most ${capacity} messages per ${windowMs / 1000} s; try again in ${
          Math.ceil(take.retryAfterMs / 1000)
        } s`,
      );
    });
  }

  /** ChatMember: the chat sends its (already encoded) messages here; chat lines may be dropped. */
  sendText(text: string): void {
    this.deliver(text, { droppable: true });
  }

  /** StateMember: the room's encoded `state`; only the newest queued one is kept. */
  sendState(text: string): void {
    this.deliver(text, { key: "state" });
  }

  /**
   * Puts one encoded text frame on the way to the peer. Here: straight to the
   * socket (a publisher, or before hello); a viewer overrides it to go
   * through its bounded queue.
   */
  protected deliver(text: string, _how: Delivery): void {
    if (this.peer.open) this.peer.sendText(text);
  }

  /** PresentationMember: slides and ink, in order with the rest, never dropped (a lost stroke stays lost). */
  sendPresentation(text: string): void {
    this.deliver(text, {});
  }

  /** The socket closed (either side): release everything. Idempotent. */
  closed(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#chat?.leave(this);
    if (this.room) this.#states.leave(this.room, this);
    this.presentation?.leave(this);
    this.release();
  }

  /** Ends the session from the server side. */
  end(code: number, reason: string): void {
    if (this.#ended) return;
    this.closed();
    this.peer.close(code, reason);
  }

  send(message: ServerMessage): void {
    // Only the newest unsent ping or pong matters: a peer that pings without reading holds one.
    const key = message.type === "ping" || message.type === "pong" ? message.type : undefined;
    this.deliver(encodeServer(message), { key });
  }

  /** Tells the peer what went wrong without closing (e.g. a bad chat message); counts it. */
  sendError(err: unknown): void {
    const { code, message } = toHttpStatus(err, this.log);
    this.#counters?.rejected(code);
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
      else this.#counters?.rejected("internal");
      this.end(code, reason);
    }
  }

  /** Check the hello and attach to the room; throw to refuse. */
  protected abstract greet(hello: Hello): void;
  protected abstract handle(message: ClientMessage): void;
  protected abstract handleBinary(bytes: Uint8Array): void;
  protected abstract release(): void;
}

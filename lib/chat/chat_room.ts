/**
 * One room's chat: who is in it, the last 100 messages and the presenter's
 * moderation. Every connection of the room (viewers and the presenter) is a
 * member; a message reaches every member, its author included, so all see
 * the same order. Members are a tiny interface, so this stays pure: the
 * WebSocket sessions implement it, tests use fakes. Rate limiting is per
 * connection and happens in the session, before `post()`.
 */
import { ForbiddenError, UserError } from "../errors.ts";
import { type ChatEntry, encodeServer, type ServerMessage } from "../protocol.ts";
import type { RoomEvent } from "../hub/events.ts";
import { ChatHistory, HISTORY_SIZE } from "./history.ts";
import { Moderation } from "./moderation.ts";
import { cleanChatText, PRESENTER_NAME } from "./text.ts";

/** A connection in the chat. */
export interface ChatMember {
  /** Per-connection id, shown as `from` on its messages. */
  readonly participant: string;
  readonly name: string;
  /** Sends an encoded server message; must not throw for a gone peer. */
  sendText(text: string): void;
}

export interface ChatRoomOptions {
  /** Unix ms for `at` (default Date.now). */
  wallClock?: () => number;
  historySize?: number;
  /** Called once per message accepted (for metrics). */
  onMessage?: (entry: ChatEntry) => void;
  /** The room's event stream: posts become `chat` events, deletions `chat-deleted`. */
  events?: { emit(event: RoomEvent): void };
}

const MUTED_MESSAGE = "The presenter muted you: you can keep watching, but not chat.";

export class ChatRoom {
  #members = new Set<ChatMember>();
  #history: ChatHistory;
  #moderation = new Moderation();
  #seq = 0;
  #wallClock: () => number;
  #onMessage: (entry: ChatEntry) => void;
  #events?: { emit(event: RoomEvent): void };

  constructor(options: ChatRoomOptions = {}) {
    this.#events = options.events;
    this.#wallClock = options.wallClock ?? (() => Date.now());
    this.#history = new ChatHistory(options.historySize ?? HISTORY_SIZE);
    this.#onMessage = options.onMessage ?? (() => {});
  }

  get members(): number {
    return this.#members.size;
  }

  /** The kept messages, oldest first. */
  history(): ChatEntry[] {
    return this.#history.list();
  }

  /** Adds a member and sends it `chat-history` (and `muted` when it is). */
  join(member: ChatMember): void {
    this.#members.add(member);
    member.sendText(encodeServer({ type: "chat-history", messages: this.#history.list() }));
    if (this.#moderation.isMuted(member.participant, member.name)) {
      member.sendText(encodeServer({ type: "muted", message: MUTED_MESSAGE }));
    }
  }

  leave(member: ChatMember): void {
    this.#members.delete(member);
  }

  /**
   * Posts `text` as `member` to everyone. Throws ForbiddenError when the
   * member is muted, UserError when the text is empty or too long. `admit`
   * runs once the message is otherwise acceptable and may throw to refuse it
   * (the session's rate limit), so refused drafts cost no quota.
   */
  post(member: ChatMember, text: string, admit: () => void = () => {}): ChatEntry {
    if (this.#moderation.isMuted(member.participant, member.name)) {
      throw new ForbiddenError("the presenter muted you in this chat; you can keep watching");
    }
    const clean = cleanChatText(text);
    admit();
    const entry: ChatEntry = {
      id: String(++this.#seq),
      from: member.participant,
      name: member.name,
      text: clean,
      at: this.#wallClock(),
    };
    this.#history.push(entry);
    this.#onMessage(entry);
    this.#broadcast({ type: "chat", ...entry });
    this.#events?.emit({ ...entry, type: "chat" });
    return entry;
  }

  /**
   * Deletes a message for everyone (also from the history late joiners get).
   * UserError for an id this chat never gave out; deleting twice is a no-op.
   */
  delete(id: string): void {
    const n = Number(id);
    if (!/^[1-9][0-9]*$/.test(id) || n > this.#seq) {
      throw new UserError(`there is no chat message "${id.slice(0, 20)}" in this room`);
    }
    if (!this.#moderation.markDeleted(id)) return;
    this.#history.remove(id);
    this.#broadcast({ type: "chat-deleted", id });
    this.#events?.emit({ type: "chat-deleted", at: this.#wallClock(), id });
  }

  /**
   * Mutes a participant for the rest of the room's life, by id and by the
   * name it chats under; its connections are told with `muted`. UserError for
   * a participant this chat has never seen, or for `by` itself.
   */
  mute(participant: string, by: ChatMember): void {
    if (participant === by.participant) throw new UserError("you cannot mute yourself");
    const members = [...this.#members].filter((m) => m.participant === participant);
    const name = members[0]?.name ??
      this.#history.list().find((e) => e.from === participant)?.name;
    if (name === undefined) {
      throw new UserError("no such participant in this chat; they may have left");
    }
    if (name === PRESENTER_NAME) throw new UserError("the presenter cannot be muted");
    this.#moderation.mute(participant, name);
    const muted = encodeServer({ type: "muted", message: MUTED_MESSAGE });
    const folded = name.toLowerCase();
    for (const member of this.#members) {
      const hit = member.participant === participant || member.name.toLowerCase() === folded;
      if (hit && member !== by) member.sendText(muted);
    }
  }

  isMuted(member: ChatMember): boolean {
    return this.#moderation.isMuted(member.participant, member.name);
  }

  #broadcast(message: ServerMessage): void {
    const text = encodeServer(message);
    for (const member of this.#members) member.sendText(text);
  }
}

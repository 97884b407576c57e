/**
 * The chat as a browser sees it, as a pure reducer over server messages, so
 * the Viewer and Studio islands share it and tests need no DOM. `welcome`
 * says who we are; `chat-history` replaces the list (a reconnect must not
 * duplicate it); `chat` appends (deduplicated by id); `chat-deleted` removes;
 * `muted` and chat refusals (`error` with a chat code) become a notice.
 */
import type { ChatEntry, Role, ServerMessage } from "../protocol.ts";

/** Most messages a page keeps; older ones scroll away. */
export const MAX_CLIENT_MESSAGES = 200;

/** Error codes that concern the chat (other errors belong to the media side). */
const CHAT_ERRORS = new Set(["rate-limited", "forbidden", "bad-request"]);

export interface ChatState {
  messages: ChatEntry[];
  /** This connection's participant id, and the name it chats under. */
  me: { participant: string; name: string; role: Role } | null;
  /** The presenter muted us (for the rest of the session). */
  muted: boolean;
  /** The last thing the server said about our chatting (rate limit, refusal), or null. */
  notice: string | null;
}

export const EMPTY_CHAT: ChatState = { messages: [], me: null, muted: false, notice: null };

export function reduceChat(state: ChatState, message: ServerMessage): ChatState {
  switch (message.type) {
    case "welcome":
      return {
        ...state,
        me: {
          participant: message.participant,
          name: message.name ?? "",
          role: message.role,
        },
        muted: false,
      };
    case "chat-history":
      return { ...state, messages: message.messages.slice(-MAX_CLIENT_MESSAGES) };
    case "chat": {
      const { type: _type, ...entry } = message;
      if (state.messages.some((m) => m.id === entry.id)) return state;
      const mine = entry.from === state.me?.participant;
      return {
        ...state,
        messages: [...state.messages, entry].slice(-MAX_CLIENT_MESSAGES),
        notice: mine ? null : state.notice,
      };
    }
    case "chat-deleted":
      if (!state.messages.some((m) => m.id === message.id)) return state;
      return { ...state, messages: state.messages.filter((m) => m.id !== message.id) };
    case "muted":
      return { ...state, muted: true, notice: message.message };
    case "error":
      return CHAT_ERRORS.has(message.code) ? { ...state, notice: message.message } : state;
    default:
      return state;
  }
}

/** A notice for text the input should not even send; null when it may go. */
export function draftProblem(text: string, maxLength = 500): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return "Type a message first.";
  if (trimmed.length > maxLength) {
    return `A message has at most ${maxLength} characters (this one has ${trimmed.length}).`;
  }
  return null;
}

/** Where a viewer's chosen display name is kept in the browser. */
export const NAME_STORAGE_KEY = "chalkcast.chat.name";

/** The stored display name, cleaned; "" when none. */
export function loadName(storage: Pick<Storage, "getItem"> | undefined): string {
  try {
    return cleanName(storage?.getItem(NAME_STORAGE_KEY) ?? "");
  } catch {
    return ""; // Storage disabled.
  }
}

export function saveName(storage: Pick<Storage, "setItem" | "removeItem">, name: string): void {
  try {
    const clean = cleanName(name);
    if (clean) storage.setItem(NAME_STORAGE_KEY, clean);
    else storage.removeItem(NAME_STORAGE_KEY);
  } catch {
    // Storage disabled: the name lasts for this page only.
  }
}

/** Whitespace collapsed, control characters removed, at most 40 characters. */
export function cleanName(name: string): string {
  // deno-lint-ignore no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim().slice(0, 40);
}

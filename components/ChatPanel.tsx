import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatEntry } from "../lib/protocol.ts";
import { draftProblem } from "../lib/client/chat_state.ts";

export interface ChatPanelProps {
  messages: ChatEntry[];
  /** Our participant id: our own lines are marked, and cannot be muted. */
  me?: string;
  /** The name we chat under, shown with the name picker. */
  name?: string;
  /** What the server last said about our chatting (rate limit, muted...). */
  notice?: string | null;
  muted?: boolean;
  /** False until hydrated and connected: the input stays disabled. */
  enabled: boolean;
  /** Why the chat is not available, shown instead of the input hint. */
  offline?: string;
  /** Sends a message; false when it could not go (not connected). */
  onSend: (text: string) => boolean;
  /** Presenter only: delete a message for everyone. */
  onDelete?: (id: string) => void;
  /** Presenter only: mute a participant for the rest of the session. */
  onMute?: (participant: string) => void;
  /** Viewers: pick a display name (kept in the browser). */
  onRename?: (name: string) => void;
}

const MAX = 500;

/**
 * The chat beside the stage, in the viewer and the studio. A plain component
 * rendered inside those islands, sharing their socket through the callbacks.
 * Every message is rendered as text: Preact puts strings into text nodes, so
 * markup in a message shows as typed and never becomes HTML.
 */
export function ChatPanel(props: ChatPanelProps) {
  const { messages, me, enabled, onDelete, onMute } = props;
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const log = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  // Follow new messages unless the reader scrolled up to read older ones.
  useEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  const send = (e: Event) => {
    e.preventDefault();
    const wrong = draftProblem(draft, MAX);
    if (wrong) return setProblem(wrong);
    if (!props.onSend(draft.trim())) return setProblem("Not connected; try again in a moment.");
    setProblem(null);
    setDraft("");
    stick.current = true;
  };

  const notice = problem ?? props.notice ?? null;
  const left = MAX - draft.length;
  return (
    <aside class="chat" data-testid="chat" aria-label="Chat">
      <header class="chat-head">
        <h2>Chat</h2>
        {props.onRename && props.name !== undefined && (
          <NamePicker name={props.name} enabled={enabled} onRename={props.onRename} />
        )}
      </header>
      <ol
        class="chat-log"
        data-testid="chat-log"
        ref={log}
        aria-live="polite"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {messages.length === 0 && <li class="chat-empty muted">No messages yet.</li>}
        {messages.map((m) => (
          <li
            key={m.id}
            class={m.from === me ? "chat-line chat-mine" : "chat-line"}
            data-testid="chat-message"
            data-id={m.id}
            data-from={m.from}
          >
            <span class="chat-meta">
              <span class="chat-name">{m.name}</span>
              <time class="chat-time" dateTime={new Date(m.at).toISOString()}>
                {formatTime(m.at)}
              </time>
            </span>
            <span class="chat-text" data-testid="chat-text">{m.text}</span>
            {(onDelete || (onMute && m.from !== me)) && (
              <span class="chat-actions">
                {onDelete && (
                  <button
                    type="button"
                    class="chat-action"
                    data-testid="chat-delete"
                    disabled={!enabled}
                    onClick={() => onDelete(m.id)}
                    title="Delete this message for everyone"
                  >
                    Delete
                  </button>
                )}
                {onMute && m.from !== me && (
                  <button
                    type="button"
                    class="chat-action"
                    data-testid="chat-mute"
                    disabled={!enabled}
                    onClick={() => onMute(m.from)}
                    title={`Mute ${m.name} for the rest of the session`}
                  >
                    Mute
                  </button>
                )}
              </span>
            )}
          </li>
        ))}
      </ol>
      {notice && <p class="chat-notice" data-testid="chat-notice" role="status">{notice}</p>}
      <form class="chat-form" onSubmit={send}>
        <input
          class="chat-input"
          data-testid="chat-input"
          aria-label="Chat message"
          placeholder={props.offline ?? (props.muted ? "You are muted" : "Say something…")}
          value={draft}
          maxLength={MAX}
          autoComplete="off"
          disabled={!enabled || props.muted}
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        />
        {left < 50 && <span class="chat-left muted">{left}</span>}
        <button
          type="submit"
          class="button button-primary"
          data-testid="chat-send"
          disabled={!enabled || props.muted}
        >
          Send
        </button>
      </form>
    </aside>
  );
}

function NamePicker(
  { name, enabled, onRename }: { name: string; enabled: boolean; onRename: (n: string) => void },
) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  if (!editing) {
    return (
      <span class="chat-me">
        as <strong data-testid="chat-name">{name || "…"}</strong>{" "}
        <button
          type="button"
          class="chat-action"
          data-testid="chat-rename"
          disabled={!enabled}
          onClick={() => {
            setValue(name.startsWith("Guest-") ? "" : name);
            setEditing(true);
          }}
        >
          Change
        </button>
      </span>
    );
  }
  return (
    <form
      class="chat-me"
      onSubmit={(e) => {
        e.preventDefault();
        setEditing(false);
        if (value.trim() !== name) onRename(value.trim());
      }}
    >
      <input
        class="chat-name-input"
        data-testid="chat-name-input"
        aria-label="Your name in the chat"
        placeholder="Your name"
        value={value}
        maxLength={40}
        autoFocus
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
      />
      <button type="submit" class="chat-action" data-testid="chat-name-save">Save</button>
    </form>
  );
}

function formatTime(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

import { useEffect, useRef } from "preact/hooks";
import type { ChatLine } from "../lib/replay/events.ts";
import { formatClock } from "../lib/replay/recording.ts";

export interface ReplayChatProps {
  /** The messages on screen at the playhead (`visibleChat`). */
  lines: ChatLine[];
  enabled: boolean;
  /** Moves the playhead to a message's time. */
  onJump: (ms: number) => void;
}

/** The chat as it happened, beside the replay; a click on a message jumps to it. */
export function ReplayChat({ lines, enabled, onJump }: ReplayChatProps) {
  const log = useRef<HTMLOListElement>(null);
  // Follow the chat as it grows, like the live chat did.
  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  return (
    <aside class="chat replay-chat-panel" aria-label="Chat replay">
      <header class="chat-head">
        <h2>Chat</h2>
        <span class="muted">as it happened</span>
      </header>
      <ol class="chat-log" data-testid="replay-chat" ref={log}>
        {lines.length === 0 && <li class="chat-empty muted">No messages yet.</li>}
        {lines.map((m) => (
          <li key={m.id} class="chat-line" data-id={m.id} data-t={m.t}>
            <button
              type="button"
              class="replay-chat-line"
              title="Jump here"
              disabled={!enabled}
              onClick={() => onJump(m.t)}
            >
              <span class="chat-meta">
                <span class="stat muted">{formatClock(m.t / 1000)}</span>{" "}
                <span class="chat-name">{m.name}</span>
              </span>
              <span class="chat-text">{m.text}</span>
            </button>
          </li>
        ))}
      </ol>
    </aside>
  );
}

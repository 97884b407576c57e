import type { Chapter } from "../lib/replay/events.ts";
import { formatClock } from "../lib/replay/recording.ts";

export interface ChapterListProps {
  chapters: Chapter[];
  /** Index of the chapter playing. */
  current: number;
  enabled: boolean;
  onJump: (ms: number) => void;
}

/** The replay's chapters (start, title and slide changes); a click jumps to one. */
export function ChapterList({ chapters, current, enabled, onJump }: ChapterListProps) {
  return (
    <ol class="replay-chapters" data-testid="replay-chapters" aria-label="Chapters">
      {chapters.map((c, i) => (
        <li key={`${c.t}-${i}`} data-current={i === current ? "true" : undefined}>
          <button
            type="button"
            class="replay-chapter"
            data-kind={c.kind}
            data-t={c.t}
            disabled={!enabled}
            onClick={() =>
              onJump(c.t)}
          >
            <span class="stat muted">{formatClock(c.t / 1000)}</span> {c.label}
          </button>
        </li>
      ))}
    </ol>
  );
}

import { formatClock, type RecordingInfo } from "../lib/replay/recording.ts";

export interface LessonListProps {
  lessons: RecordingInfo[];
  /** Shown when there are none. */
  empty: string;
  /** Studio only: delete a lesson (the island holds the room key). */
  onDelete?: (lesson: RecordingInfo) => void;
  /** The lesson whose delete waits for a second click. */
  confirming?: string | null;
  enabled?: boolean;
}

/** "23 Nov, 14:05" in the reader's locale (the server's when rendered; hydration redoes it). */
function when(ms: number): string {
  return ms > 0
    ? new Date(ms).toLocaleString(undefined, {
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
    })
    : "";
}

/** Recorded lessons with replay and download links (and delete in the studio). */
export function LessonList(
  { lessons, empty, onDelete, confirming = null, enabled = true }: LessonListProps,
) {
  if (lessons.length === 0) return <p class="muted" data-testid="lessons-empty">{empty}</p>;
  return (
    <ul class="lesson-list" data-testid="lessons">
      {lessons.map((l) => (
        <li key={l.id} class="lesson-item" data-testid="lesson" data-recording={l.id}>
          <a class="lesson-title" href={l.replayUrl} data-testid="lesson-replay">
            <strong>{l.title}</strong>
          </a>
          <span class="muted stat">
            {when(l.startedAt)} · {l.live ? "recording now" : formatClock(l.durationSeconds)}
            {l.unlisted && " · unlisted"}
          </span>
          <a class="button" href={l.downloadUrl} download data-testid="lesson-download">
            Download
          </a>
          {onDelete && (
            <button
              type="button"
              class={confirming === l.id ? "button button-danger" : "button"}
              data-testid="lesson-delete"
              disabled={!enabled || l.live}
              onClick={() => onDelete(l)}
            >
              {confirming === l.id ? "Really delete?" : "Delete"}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

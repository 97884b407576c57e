import { useEffect, useState } from "preact/hooks";
import { deleteLesson, listLessons } from "../lib/client/lessons_api.ts";
import type { RecordingInfo } from "../lib/replay/recording.ts";
import { LessonList } from "./LessonList.tsx";

export interface PastLessonsProps {
  /** The studio's room and key; null until known. */
  room: { id: string; key: string } | null;
  /** Changes when the studio goes live or stops, to refresh the list. */
  revision: string;
  enabled: boolean;
}

const REFRESH_MS = 15_000;

/** The studio's list of this room's recorded lessons: replay, download, delete (two clicks). */
export function PastLessons({ room, revision, enabled }: PastLessonsProps) {
  const [lessons, setLessons] = useState<RecordingInfo[]>([]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!room) return;
    let stopped = false;
    const refresh = () => listLessons(fetch, room).then((l) => stopped || setLessons(l), () => {});
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [room?.id, room?.key, revision]);

  const remove = async (lesson: RecordingInfo) => {
    if (!room) return;
    if (confirming !== lesson.id) return setConfirming(lesson.id);
    setConfirming(null);
    const error = await deleteLesson(fetch, lesson.id, room.key);
    setProblem(error);
    if (!error) setLessons((ls) => ls.filter((l) => l.id !== lesson.id));
  };

  return (
    <section class="card past-lessons" data-testid="past-lessons" aria-label="Past lessons">
      <h2>Past lessons</h2>
      {problem && <p class="notice" role="alert">{problem}</p>}
      <LessonList
        lessons={lessons}
        empty="Lessons you give in this room are recorded and listed here."
        onDelete={remove}
        confirming={confirming}
        enabled={enabled}
      />
    </section>
  );
}

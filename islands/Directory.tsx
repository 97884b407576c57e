import { useEffect, useState } from "preact/hooks";
import type { RoomSummary } from "../lib/api/room_view.ts";
import { formatLiveFor, parseRoomList } from "../lib/client/directory.ts";
import { listLessons } from "../lib/client/lessons_api.ts";
import type { RecordingInfo } from "../lib/replay/recording.ts";
import { LessonList } from "../components/LessonList.tsx";

export interface Props {
  /** The live rooms when the page was rendered. */
  rooms: RoomSummary[];
  /** Recent recorded lessons (listed ones), newest first. */
  lessons?: RecordingInfo[];
  /** How often to refresh, ms. */
  refreshMs?: number;
}

/** How many recent lessons the home page lists. */
const MAX_LESSONS = 12;
/** How often the lessons are refreshed, ms. */
const LESSONS_EVERY_MS = 30_000;

/** The grid of live rooms on `/`, refreshed from `GET /api/rooms` without a reload. */
export default function Directory(
  { rooms: initial, lessons: initialLessons = [], refreshMs = 4000 }: Props,
) {
  const [rooms, setRooms] = useState(initial);
  const [lessons, setLessons] = useState(initialLessons);
  const [fetchedAt, setFetchedAt] = useState(0);
  const [now, setNow] = useState(0);

  useEffect(() => {
    let stopped = false;
    let lessonsAt = performance.now();
    const refresh = async () => {
      try {
        const res = await fetch("/api/rooms", { cache: "no-store" });
        if (!res.ok || stopped) return;
        setRooms(parseRoomList(await res.json()));
        setFetchedAt(performance.now());
        // Lessons change seldom and cost the server a look at every recording: less often.
        if (performance.now() - lessonsAt >= LESSONS_EVERY_MS) {
          lessonsAt = performance.now();
          const recent = await listLessons(fetch);
          if (!stopped) setLessons(recent.slice(0, MAX_LESSONS));
        }
      } catch {
        // Offline for a moment: keep what we show and try again.
      }
    };
    const poll = setInterval(refresh, refreshMs);
    const clock = setInterval(() => setNow(performance.now()), 1000);
    const onVisible = () => document.visibilityState === "visible" && refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      clearInterval(poll);
      clearInterval(clock);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refreshMs]);

  const recent = (
    <section class="lessons" aria-label="Recent lessons">
      <h2>Recent lessons</h2>
      <LessonList lessons={lessons} empty="Lessons appear here once they have been given." />
    </section>
  );
  if (rooms.length === 0) {
    return (
      <>
        <div class="empty" data-testid="directory-empty">
          <p>No one is live right now.</p>
          <p>
            <a class="button button-primary" href="/studio">Start presenting</a>
          </p>
        </div>
        {recent}
      </>
    );
  }
  // Seconds since the list was fetched, so "live for" moves between refreshes.
  const extra = fetchedAt > 0 && now > fetchedAt ? (now - fetchedAt) / 1000 : 0;
  return (
    <>
      <ul class="directory" data-testid="directory">
        {rooms.map((room) => (
          <li key={room.id}>
            <a class="room-card" data-testid="room-card" data-room={room.id} href={`/s/${room.id}`}>
              <div class="room-thumb">
                {room.thumbnailUrl
                  ? <img src={room.thumbnailUrl} alt="" loading="lazy" decoding="async" />
                  : <span class="room-thumb-empty" aria-hidden="true">▶</span>}
                <span class="badge badge-live room-live">
                  <span class="dot" />Live
                </span>
              </div>
              <div class="room-meta">
                <strong class="room-title" data-testid="room-title">{room.title}</strong>
                <span class="muted">
                  <span data-testid="room-viewers">
                    {room.viewers} {room.viewers === 1 ? "viewer" : "viewers"}
                  </span>
                  {room.liveForSeconds !== null && (
                    <>
                      {" · "}
                      <span data-testid="room-live-for">
                        live for {formatLiveFor(room.liveForSeconds + extra)}
                      </span>
                    </>
                  )}
                </span>
              </div>
            </a>
          </li>
        ))}
      </ul>
      {recent}
    </>
  );
}

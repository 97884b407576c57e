/**
 * `useReplay`: the Replay island's player lifecycle. Creates the player over
 * the island's media elements (registered through `bind`), ticks it 10 times a
 * second, maps the keyboard (replay_keys.ts), fetches the events when the page
 * did not embed them, and follows a lesson still being recorded: its end moves
 * on with the clock, files read to their end are reopened, and the recording
 * and its events are read again every 5 s.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { parseEvents, type ReplayEvent } from "../replay/events.ts";
import { parseRecording, recordingDurationMs, type RecordingInfo } from "../replay/recording.ts";
import { DvrWindow, openEnded, ReloadPolicy, versioned } from "./dvr.ts";
import { keyAction, keyTarget } from "./replay_keys.ts";
import { type MediaLike, ReplayPlayer, type ReplayStatus } from "./replay_player.ts";

const TICK_MS = 100;
const POLL_MS = 5000;

export interface Replay {
  status: ReplayStatus;
  events: ReplayEvent[];
  /** Ref callback for the media element of a track. */
  bind: (track: string) => (el: HTMLMediaElement | null) => void;
  /** Runs an action on the player and shows its effect at once. */
  act: (f: (p: ReplayPlayer) => void) => void;
}

async function json(url: string): Promise<unknown> {
  const res = await fetch(url, { cache: "no-store" });
  return res.ok ? res.json() : null;
}

export function useReplay(
  recording: RecordingInfo,
  given: ReplayEvent[] | undefined,
  offline: boolean,
): Replay {
  const [events, setEvents] = useState<ReplayEvent[]>(given ?? []);
  const [status, setStatus] = useState<ReplayStatus>({
    positionMs: 0,
    durationMs: recordingDurationMs(recording),
    playing: false,
    rate: 1,
    waiting: false,
    active: {},
    exhausted: [],
  });
  const player = useRef<ReplayPlayer | null>(null);
  const media = useRef(new Map<string, HTMLMediaElement>());

  useEffect(() => {
    if (given) return;
    json(recording.eventsUrl).then((body) => body && setEvents(parseEvents(body)), () => {});
  }, [recording.eventsUrl]);

  useEffect(() => {
    const growing = recording.live && !offline;
    const win = new DvrWindow();
    win.update(recording.durationSeconds * 1000, growing);
    let version = 0;
    const reloads = new ReloadPolicy();
    const p = new ReplayPlayer(
      growing ? openEnded(recording) : recording,
      media.current as Map<string, MediaLike>,
      growing
        ? { durationMs: () => win.replayableMs, resolveUrl: (url) => versioned(url, version) }
        : {},
    );
    player.current = p;
    p.seek(0);
    const update = () => {
      const s = p.tick();
      const due = growing ? reloads.due(s.exhausted) : [];
      if (due.length > 0) {
        version++;
        p.reload(due);
      }
      setStatus(s);
    };
    p.onEnded = update;
    const timer = setInterval(update, TICK_MS);
    const poll = growing
      ? setInterval(async () => {
        try {
          const fresh = parseRecording(
            await json(`/api/recordings/${encodeURIComponent(recording.id)}`),
          );
          if (fresh) win.update(fresh.durationSeconds * 1000, fresh.live);
          const body = await json(recording.eventsUrl);
          if (body) setEvents(parseEvents(body));
        } catch {
          // Offline for a moment: the next poll tries again.
        }
      }, POLL_MS)
      : undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const el = e.target as HTMLElement | null;
      const action = keyAction(
        e.key,
        keyTarget(el?.tagName ?? "", (el as HTMLInputElement | null)?.type ?? ""),
      );
      if (!action) return;
      e.preventDefault();
      if (action.kind === "toggle") p.toggle();
      else if (action.kind === "seek-by") p.seekBy(action.ms);
      else p.seek(action.where === "start" ? 0 : p.status.durationMs);
      update();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      clearInterval(timer);
      clearInterval(poll);
      document.removeEventListener("keydown", onKey);
      p.pause();
      player.current = null;
    };
  }, [recording]);

  return {
    status,
    events,
    bind: (track) => (el) => {
      if (el) media.current.set(track, el);
      else media.current.delete(track);
    },
    act: (f) => {
      const p = player.current;
      if (!p) return;
      f(p);
      setStatus(p.tick());
    },
  };
}

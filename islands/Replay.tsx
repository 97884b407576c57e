import { useMemo, useState } from "preact/hooks";
import { useHydrated } from "../lib/client/hydrated.ts";
import { useReplay } from "../lib/client/replay_hook.ts";
import { clampSpeed, SPEEDS } from "../lib/client/replay_keys.ts";
import { formatClock, type RecordingInfo } from "../lib/replay/recording.ts";
import {
  chapterAt,
  chapters as chaptersOf,
  chatLines,
  type ReplayEvent,
  visibleChat,
} from "../lib/replay/events.ts";
import { ChapterList } from "../components/ChapterList.tsx";
import { ReplayChat } from "../components/ReplayChat.tsx";

export interface Props {
  recording: RecordingInfo;
  /** The timeline; fetched from `recording.eventsUrl` when absent. */
  events?: ReplayEvent[];
  /** In the exported lesson: no links back to a server. */
  offline?: boolean;
}

const isAudio = (name: string, mime: string) => name === "audio" || mime.startsWith("audio/");

/**
 * The replay of a recorded lesson: every track on one timeline (see
 * lib/client/replay_player.ts, driven by lib/client/replay_hook.ts), one seek
 * bar, play/pause, speed, keyboard, chapters at title and slide changes, and
 * the chat as it happened. Also the player of the exported lesson.zip.
 */
export default function Replay({ recording, events: given, offline = false }: Props) {
  const hydrated = useHydrated();
  const { status, events, bind, act } = useReplay(recording, given, offline);
  const [dragging, setDragging] = useState<number | null>(null);
  const lines = useMemo(() => chatLines(events), [events]);
  const chapters = useMemo(() => chaptersOf(events, recording.title), [events, recording.title]);
  const seekTo = (ms: number) => act((p) => p.seek(ms));
  const durationS = status.durationMs / 1000;
  const positionS = dragging ?? status.positionMs / 1000;
  const videos = recording.tracks.filter((t) => !isAudio(t.name, t.mime));
  const audios = recording.tracks.filter((t) => isAudio(t.name, t.mime));

  return (
    <section
      class="replay"
      data-recording={recording.id}
      data-state={status.playing ? (status.waiting ? "waiting" : "playing") : "paused"}
    >
      <div class="toolbar replay-bar">
        <h1 class="viewer-title" data-testid="replay-title">{recording.title}</h1>
        <span class="muted">
          {recording.startedAt > 0 && new Date(recording.startedAt).toLocaleString()}
        </span>
        {recording.live && !offline && (
          <a class="badge badge-live" href={`/s/${encodeURIComponent(recording.roomId)}`}>
            <span class="dot" />Still live: watch
          </a>
        )}
        <span class="toolbar-spacer" />
        {!offline && (
          <a class="button" href={recording.downloadUrl} download data-testid="replay-download">
            Download lesson
          </a>
        )}
      </div>
      <div class="replay-body">
        <div class="stack">
          <div class="stage replay-stage">
            {videos.map((t) => (
              <video
                key={t.name}
                ref={bind(t.name)}
                data-track={t.name}
                data-active={status.active[t.name] === false ? "false" : "true"}
                muted={t.name !== "camera" || audios.length > 0}
                playsInline
                preload="auto"
              />
            ))}
            {audios.map((t) => (
              <audio key={t.name} ref={bind(t.name)} data-track={t.name} preload="auto" />
            ))}
          </div>
          <div class="replay-controls">
            <button
              type="button"
              class="button button-primary"
              data-testid="replay-play"
              disabled={!hydrated}
              onClick={() => act((p) => p.toggle())}
              aria-label={status.playing ? "Pause" : "Play"}
            >
              {status.playing ? "❚❚ Pause" : "▶ Play"}
            </button>
            <input
              type="range"
              class="replay-seek"
              data-testid="replay-seek"
              aria-label="Position"
              min={0}
              max={durationS.toFixed(1)}
              step={0.1}
              value={positionS.toFixed(1)}
              disabled={!hydrated}
              onPointerDown={() => setDragging(status.positionMs / 1000)}
              onInput={(e) => {
                const v = Number((e.target as HTMLInputElement).value);
                if (dragging !== null) setDragging(v);
                seekTo(v * 1000);
              }}
              onChange={() => setDragging(null)}
              onPointerUp={() => setDragging(null)}
            />
            <span class="stat" data-testid="replay-time">
              {formatClock(positionS)} / {formatClock(durationS)}
            </span>
            <label class="replay-speed">
              <span class="muted">Speed</span>
              <select
                data-testid="replay-speed"
                disabled={!hydrated}
                value={String(status.rate)}
                onChange={(e) =>
                  act((p) => p.setRate(clampSpeed(Number((e.target as HTMLSelectElement).value))))}
              >
                {SPEEDS.map((s) => <option key={s} value={String(s)}>{s}×</option>)}
              </select>
            </label>
          </div>
          <ChapterList
            chapters={chapters}
            current={chapterAt(chapters, status.positionMs)}
            enabled={hydrated}
            onJump={seekTo}
          />
        </div>
        <ReplayChat
          lines={visibleChat(lines, status.positionMs)}
          enabled={hydrated}
          onJump={seekTo}
        />
      </div>
    </section>
  );
}

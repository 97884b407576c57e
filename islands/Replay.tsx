import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { useHydrated } from "../lib/client/hydrated.ts";
import { type MediaLike, ReplayPlayer, type ReplayStatus } from "../lib/client/replay_player.ts";
import { clampSpeed, keyAction, keyTarget, SPEEDS } from "../lib/client/replay_keys.ts";
import {
  formatClock,
  parseRecording,
  recordingDurationMs,
  type RecordingInfo,
} from "../lib/replay/recording.ts";
import { DvrWindow, openEnded, versioned } from "../lib/client/dvr.ts";
import {
  chapterAt,
  chapters as chaptersOf,
  chatLines,
  parseEvents,
  type ReplayEvent,
  visibleChat,
} from "../lib/replay/events.ts";

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
 * lib/client/replay_player.ts), one seek bar, play/pause, speed, keyboard,
 * chapters at title and slide changes, and the chat as it happened.
 */
export default function Replay({ recording, events: given, offline = false }: Props) {
  const hydrated = useHydrated();
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
  const [dragging, setDragging] = useState<number | null>(null);
  const player = useRef<ReplayPlayer | null>(null);
  const media = useRef(new Map<string, HTMLMediaElement>());
  const chatLog = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (given) return;
    fetch(recording.eventsUrl).then((r) => r.ok ? r.json() : null).then(
      (body) => body && setEvents(parseEvents(body)),
      () => {},
    );
  }, [recording.eventsUrl]);

  useEffect(() => {
    // A lesson still being recorded: its files grow, so the end moves on and
    // files read to their end are reopened (as the DVR does).
    const growing = recording.live && !offline;
    const win = new DvrWindow();
    win.update(recording.durationSeconds * 1000, growing);
    let version = 0;
    let reloadedAt = 0;
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
      if (s.exhausted.length > 0 && growing && performance.now() - reloadedAt > 1000) {
        reloadedAt = performance.now();
        version++;
        p.reload();
      }
      setStatus(s);
    };
    p.onEnded = update;
    const timer = setInterval(update, 100);
    const poll = growing
      ? setInterval(async () => {
        try {
          const res = await fetch(`/api/recordings/${encodeURIComponent(recording.id)}`);
          const fresh = res.ok ? parseRecording(await res.json()) : null;
          if (fresh) win.update(fresh.durationSeconds * 1000, fresh.live);
          const ev = await fetch(recording.eventsUrl);
          if (ev.ok) setEvents(parseEvents(await ev.json()));
        } catch {
          // Offline for a moment: the next poll tries again.
        }
      }, 5000)
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

  const lines = useMemo(() => chatLines(events), [events]);
  const chapters = useMemo(() => chaptersOf(events, recording.title), [events, recording.title]);
  const shown = visibleChat(lines, status.positionMs);
  const current = chapterAt(chapters, status.positionMs);

  // Follow the chat as it grows, like the live chat did.
  useEffect(() => {
    const el = chatLog.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [shown.length]);

  const act = (f: (p: ReplayPlayer) => void) => {
    const p = player.current;
    if (!p) return;
    f(p);
    setStatus(p.tick());
  };
  const seekTo = (ms: number) => act((p) => p.seek(ms));
  const durationS = status.durationMs / 1000;
  const positionS = dragging ?? status.positionMs / 1000;
  const videos = recording.tracks.filter((t) => !isAudio(t.name, t.mime));
  const audios = recording.tracks.filter((t) => isAudio(t.name, t.mime));
  const bind = (name: string) => (el: HTMLMediaElement | null) => {
    if (el) media.current.set(name, el);
    else media.current.delete(name);
  };

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
                muted={t.name !== "camera"}
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
          <ol class="replay-chapters" data-testid="replay-chapters" aria-label="Chapters">
            {chapters.map((c, i) => (
              <li key={`${c.t}-${i}`} data-current={i === current ? "true" : undefined}>
                <button
                  type="button"
                  class="replay-chapter"
                  data-kind={c.kind}
                  data-t={c.t}
                  disabled={!hydrated}
                  onClick={() =>
                    seekTo(c.t)}
                >
                  <span class="stat muted">{formatClock(c.t / 1000)}</span> {c.label}
                </button>
              </li>
            ))}
          </ol>
        </div>
        <aside class="chat replay-chat-panel" aria-label="Chat replay">
          <header class="chat-head">
            <h2>Chat</h2>
            <span class="muted">as it happened</span>
          </header>
          <ol class="chat-log" data-testid="replay-chat" ref={chatLog}>
            {shown.length === 0 && <li class="chat-empty muted">No messages yet.</li>}
            {shown.map((m) => (
              <li key={m.id} class="chat-line" data-id={m.id} data-t={m.t}>
                <button
                  type="button"
                  class="replay-chat-line"
                  title="Jump here"
                  disabled={!hydrated}
                  onClick={() => seekTo(m.t)}
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
      </div>
    </section>
  );
}

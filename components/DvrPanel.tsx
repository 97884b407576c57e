import { useEffect, useRef, useState } from "preact/hooks";
import { DvrWindow, openEnded, ReloadPolicy, versioned } from "../lib/client/dvr.ts";
import { type MediaLike, ReplayPlayer } from "../lib/client/replay_player.ts";
import { formatClock, parseRecording, type RecordingInfo } from "../lib/replay/recording.ts";

export interface DvrPanelProps {
  roomId: string;
  /** The viewer plays the live stream. */
  live: boolean;
  enabled: boolean;
  /** How often to ask the room for its recording, ms (longer on a slow link: each is ~2 KB). */
  pollMs?: number;
}

const POLL_MS = 5000;
const READ_EVERY_MS = 30_000;
const isAudio = (name: string, mime: string) => name === "audio" || mime.startsWith("audio/");

/** The viewer section around the panel (outside this component: the island's root). */
function viewerOf(el: HTMLElement | null): HTMLElement | null {
  return el?.closest<HTMLElement>(".viewer") ?? null;
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { cache: "no-store" });
  return res.ok ? res.json() : null;
}

/** The id of the room's recording in progress, or null (none, or the server does not record). */
async function liveRecordingId(roomId: string): Promise<string | null> {
  const room = await getJson(`/api/rooms/${encodeURIComponent(roomId)}`) as {
    recordingId?: unknown;
  } | null;
  return typeof room?.recordingId === "string" ? room.recordingId : null;
}

function getRecording(id: string): Promise<RecordingInfo | null> {
  return getJson(`/api/recordings/${encodeURIComponent(id)}`).then(parseRecording);
}

/**
 * DVR under the live stage: a seek bar over the lesson so far and "Back to
 * live". Rewound, the recording on disk plays (lib/client/replay_player.ts on
 * its growing files) in a stage of its own that stands in for the live one;
 * the live videos keep receiving but are muted and hidden (`data-dvr` on the
 * viewer), so returning to live is instant. Files are reopened when playback
 * reaches the end of what was on disk when they were opened. A growing file has no Cues
 * yet, so the browser finds a point in it by reading clusters from the start:
 * fine for a lesson's first hour on a LAN, slower beyond.
 */
export function DvrPanel({ roomId, live, enabled, pollMs = POLL_MS }: DvrPanelProps) {
  const [recording, setRecording] = useState<RecordingInfo | null>(null);
  const [rewound, setRewound] = useState(false);
  const [positionMs, setPositionMs] = useState(0);
  const [edgeMs, setEdgeMs] = useState(0);
  const win = useRef(new DvrWindow());
  const player = useRef<ReplayPlayer | null>(null);
  const media = useRef(new Map<string, HTMLMediaElement>());
  const root = useRef<HTMLDivElement>(null);
  const version = useRef(0);
  const mutedLive = useRef<HTMLMediaElement[]>([]);
  const reloads = useRef(new ReloadPolicy());

  /**
   * The polling's memory across a change of pace: the room it is for ("" after the lesson
   * stopped), when the room was last asked, and the recording last read.
   */
  const polls = useRef({ key: "", at: -Infinity, known: null as string | null, readAt: 0 });

  // A rewound viewer keeps watching the recording when the lesson stops.
  useEffect(() => {
    if (!live && !rewound) {
      polls.current.key = ""; // when the lesson comes back, ask at once (a new recording)
      return;
    }
    let stopped = false;
    // The room says which recording runs (every 5 s); the recording itself is read when
    // it changes and every 30 s, the edge moving on by the clock in between.
    const s = polls.current;
    // Only the pace changed (the viewer's profile switched): keep to the schedule and to the
    // recording already read. Asking at once would put ~3 KB on a link that may just have
    // fallen to 64 kbit/s, in the very second the voice needs all of it.
    const samePoll = s.key === roomId;
    if (!samePoll) Object.assign(s, { key: roomId, at: -Infinity, known: null, readAt: 0 });
    const poll = async () => {
      s.at = performance.now();
      try {
        const id = await liveRecordingId(roomId);
        if (stopped) return;
        if (id === null) {
          s.known = null;
          return setRecording(null);
        }
        if (id === s.known && performance.now() - s.readAt < READ_EVERY_MS) return;
        const rec = await getRecording(id);
        if (stopped || !rec) return;
        s.known = id;
        s.readAt = performance.now();
        setRecording(rec);
        win.current.update(rec.durationSeconds * 1000, rec.live);
      } catch {
        // Offline for a moment: keep what we have.
      }
    };
    let timer: ReturnType<typeof setInterval> | undefined;
    const first = setTimeout(() => {
      poll();
      timer = setInterval(poll, pollMs);
    }, samePoll ? Math.max(0, s.at + pollMs - performance.now()) : 0);
    return () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [roomId, live || rewound, pollMs]);

  const backToLive = () => {
    const p = player.current;
    player.current = null;
    p?.pause();
    for (const el of media.current.values()) {
      el.removeAttribute("src");
      el.load();
    }
    for (const el of mutedLive.current) el.muted = false;
    mutedLive.current = [];
    setRewound(false);
    viewerOf(root.current)?.removeAttribute("data-dvr");
  };

  useEffect(() => {
    const timer = setInterval(() => {
      setEdgeMs(win.current.edgeMs);
      const p = player.current;
      if (!p) return;
      const s = p.tick();
      setPositionMs(s.positionMs);
      // At the end of what was on disk when opened: reopen the grown files.
      const due = reloads.current.due(s.exhausted);
      if (due.length > 0) {
        version.current++;
        p.reload(due);
      }
    }, 200);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => () => player.current?.pause(), []);

  const rewind = async (ms: number) => {
    const w = win.current;
    if (w.atEdge(ms)) return backToLive();
    let p = player.current;
    if (!p) {
      const fresh = (recording && await getRecording(recording.id).catch(() => null)) ??
        recording;
      if (!fresh) return;
      w.update(fresh.durationSeconds * 1000, fresh.live);
      setRecording(fresh);
      version.current = 0;
      // The live media stays connected, silent and hidden, for an instant way back.
      const viewer = viewerOf(root.current);
      mutedLive.current = [...viewer?.querySelectorAll<HTMLMediaElement>("video, audio") ?? []]
        .filter((el) => !root.current?.contains(el) && !el.muted);
      for (const el of mutedLive.current) el.muted = true;
      setRewound(true);
      // Marks the viewer so CSS hides its live stage (`:has()` would, but not in Firefox ESR 115).
      viewerOf(root.current)?.setAttribute("data-dvr", "rewound");
      // The stage's media elements exist once rendered rewound.
      await new Promise((r) => requestAnimationFrame(r));
      p = new ReplayPlayer(openEnded(fresh), media.current as Map<string, MediaLike>, {
        durationMs: () => w.replayableMs,
        resolveUrl: (url) => versioned(url, version.current),
      });
      p.onEnded = backToLive;
      player.current = p;
      p.seek(ms);
      p.play();
    } else {
      p.seek(ms);
    }
    setPositionMs(p.status.positionMs);
  };

  if (!recording) return null;
  const bind = (name: string) => (el: HTMLMediaElement | null) => {
    if (el) media.current.set(name, el);
    else media.current.delete(name);
  };
  const shownMs = rewound ? positionMs : edgeMs;
  // With a voice track the camera is silent (older lessons carry sound in the camera).
  const hasVoice = recording.tracks.some((t) => isAudio(t.name, t.mime));
  const behindS = Math.max(0, (edgeMs - positionMs) / 1000);
  return (
    <div class="dvr" data-mode={rewound ? "rewound" : "live"} ref={root} data-testid="dvr">
      <div class="stage dvr-stage" hidden={!rewound}>
        {rewound && recording.tracks.map((t) =>
          isAudio(t.name, t.mime)
            ? <audio key={t.name} ref={bind(t.name)} data-dvr-track={t.name} preload="auto" />
            : (
              <video
                key={t.name}
                ref={bind(t.name)}
                data-dvr-track={t.name}
                muted={t.name !== "camera" || hasVoice}
                playsInline
                preload="auto"
              />
            )
        )}
      </div>
      <div class="dvr-controls">
        <input
          type="range"
          class="dvr-seek"
          data-testid="dvr-seek"
          aria-label="Rewind the lesson"
          min={0}
          max={(edgeMs / 1000).toFixed(1)}
          step={0.1}
          value={(shownMs / 1000).toFixed(1)}
          disabled={!enabled || (!live && !rewound)}
          onChange={(e) => rewind(Number((e.target as HTMLInputElement).value) * 1000)}
        />
        <span class="stat muted" data-testid="dvr-time">
          {rewound ? `${formatClock(positionMs / 1000)} · −${formatClock(behindS)}` : "Live"}
        </span>
        <button
          type="button"
          class={rewound ? "button button-primary" : "button"}
          data-testid="go-live-edge"
          disabled={!enabled || !rewound}
          onClick={backToLive}
        >
          Back to live
        </button>
      </div>
    </div>
  );
}

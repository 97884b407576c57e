import { useEffect, useRef, useState } from "preact/hooks";
import { useHydrated } from "../lib/client/hydrated.ts";
import { mediaSourceClass, type MseEnv, MsePlayer } from "../lib/client/mse_player.ts";
import { roomExists } from "../lib/client/rooms_api.ts";
import { socketUrl, Watcher } from "../lib/client/watcher.ts";
import { PullTrack } from "../lib/client/pull_track.ts";
import {
  requestedTransport,
  roomStatus,
  SocketFallback,
  type Transport,
} from "../lib/client/transport.ts";
import { tickTogether } from "../lib/client/player_group.ts";
import { cleanName, EMPTY_CHAT, loadName, reduceChat, saveName } from "../lib/client/chat_state.ts";
import { ChatPanel } from "../components/ChatPanel.tsx";
import { DvrPanel } from "../components/DvrPanel.tsx";
import { SlideView } from "../components/SlideView.tsx";
import { InkMirror } from "../lib/client/ink_mirror.ts";

export interface Props {
  roomId: string;
}

type Layout = "side-by-side" | "focus";
type Phase = "connecting" | "waiting" | "live" | "ended" | "not-found" | "unsupported";
const TRACKS = ["whiteboard", "camera"] as const;

/** A viewer: camera and whiteboard videos, live, near the live edge. */
export default function Viewer({ roomId }: Props) {
  const hydrated = useHydrated();
  const [layout, setLayout] = useState<Layout>("side-by-side");
  const [phase, setPhase] = useState<Phase>("connecting");
  const [title, setTitle] = useState("");
  const [viewers, setViewers] = useState(0);
  const [latency, setLatency] = useState<number | null>(null);
  const [muted, setMuted] = useState(true);
  const [blocked, setBlocked] = useState(false);
  const [active, setActive] = useState<Record<string, boolean>>({});
  const [transport, setTransport] = useState<Transport>("ws");
  const stage = useRef<HTMLDivElement>(null);
  const videos = {
    whiteboard: useRef<HTMLVideoElement>(null),
    camera: useRef<HTMLVideoElement>(null),
  };
  /** The voice track plays here; it leads, the videos follow it (lib/client/player_group.ts). */
  const voice = useRef<HTMLAudioElement>(null);
  const liveTracks = useRef<Record<string, boolean>>({});
  const players = useRef(new Map<string, MsePlayer>());
  const [chat, setChat] = useState(EMPTY_CHAT);
  const [online, setOnline] = useState(false);
  const watcher = useRef<Watcher | null>(null);
  /** The display name picked in this browser ("" for a guest name), read at each hello. */
  const chatName = useRef("");
  /** Slides and ink as data; shown instead of the whiteboard video in the "slides" view. */
  const slides = useRef(new InkMirror()).current;
  const [hasDeck, setHasDeck] = useState(false);
  const [boardView, setBoardView] = useState<"video" | "slides" | null>(null);
  const view = boardView ?? (hasDeck ? "slides" : "video");

  useEffect(() => {
    const MediaSource = mediaSourceClass();
    if (!MediaSource) return setPhase("unsupported");
    const env: MseEnv = {
      MediaSource,
      createObjectURL: (ms) => URL.createObjectURL(ms),
      revokeObjectURL: (url) => URL.revokeObjectURL(url),
      now: () => performance.now(),
    };
    const player = (track: string) => {
      const video = track === "audio"
        ? voice.current
        : videos[track as keyof typeof videos]?.current;
      if (!video) return null; // A track this page does not show (yet).
      let p = players.current.get(track);
      if (!p) {
        p = new MsePlayer(video, env);
        p.onPlayBlocked = () => setBlocked(true);
        players.current.set(track, p);
      }
      return p;
    };
    const onInit = (track: string, mime: string, bytes: Uint8Array, clockMs?: number) => {
      if (!MediaSource.isTypeSupported(mime)) return setPhase("unsupported");
      player(track)?.init(mime, bytes, clockMs);
      setPhase("live");
    };
    // Pull mode (lib/client/pull_track.ts): media over cacheable HTTP pieces;
    // the WebSocket then carries only state and chat.
    const pulls: PullTrack[] = [];
    let roomPoll: ReturnType<typeof setInterval> | undefined;
    const startPull = () => {
      if (pulls.length > 0) return;
      setTransport("http");
      for (const track of [...TRACKS, "audio"]) {
        const t = new PullTrack({
          base: `/s/${encodeURIComponent(roomId)}/${track}`,
          fetch: (url, init) => fetch(url, init),
        });
        t.onInit = (mime, bytes, clockMs) => onInit(track, mime, bytes, clockMs);
        t.onMedia = (bytes, keyframe) => player(track)?.media(bytes, keyframe);
        t.onGone = () => player(track)?.reset();
        t.start();
        pulls.push(t);
      }
    };
    chatName.current = loadName(globalThis.localStorage);
    const w = new Watcher({
      url: socketUrl(location, `/api/rooms/${encodeURIComponent(roomId)}/watch`),
      room: roomId,
      name: () => chatName.current,
      media: () => pulls.length === 0,
    });
    watcher.current = w;
    w.onMessage = (m) => {
      slides.apply(m); // slide, ink, ink-replay, screen; the rest it ignores
      if (m.type === "slide") setHasDeck(m.deck !== null);
      // Sound whose page lost samples runs slow against the clock: lip sync needs the shift.
      if (m.type === "stats") {
        for (const t of m.tracks) players.current.get(t.name)?.shiftClock(t.clockShiftMs ?? 0);
      }
      setChat((c) => reduceChat(c, m));
    };
    w.onTitle = setTitle;
    w.onViewers = setViewers;
    w.onInit = (track, mime, bytes, clockMs) =>
      pulls.length === 0 && onInit(track, mime, bytes, clockMs);
    w.onMedia = (track, bytes, keyframe) =>
      pulls.length === 0 && player(track)?.media(bytes, keyframe);
    w.onState = (s) => {
      liveTracks.current = Object.fromEntries(s.tracks.map((t) => [t.name, t.live]));
      setActive(liveTracks.current);
      setPhase((p) => (s.live ? (p === "live" ? p : "waiting") : "waiting"));
      if (!s.live) { for (const p of players.current.values()) p.reset(); }
    };
    w.onEnded = () => {
      for (const p of players.current.values()) p.reset();
      setPhase("ended");
    };
    w.onNotFound = () => setPhase("not-found");
    const fallback = new SocketFallback();
    let open = false;
    // Without a WebSocket, `GET /api/rooms/:id` says what `state` would.
    const pollRoom = async () => {
      if (open) return;
      const r = await roomStatus(fetch, roomId);
      if (r === "not-found") return setPhase("not-found");
      if (!r) return;
      setTitle(r.title);
      setViewers(r.viewers);
      if (!r.live) setPhase("waiting");
    };
    w.onStatus = (s, close) => {
      open = s === "open";
      setOnline(open);
      if (s === "reconnecting") setPhase((p) => (p === "live" ? p : "connecting"));
      if (fallback.observe(s, close)) {
        // No WebSocket gets through (a proxy without Upgrade): pull the media;
        // the socket keeps trying, for chat.
        startPull();
        pollRoom();
        roomPoll = setInterval(pollRoom, 5000);
      }
    };
    if (requestedTransport(location.search) === "http") startPull();
    w.start();
    roomExists(fetch, roomId).then((ok) => ok === false && (w.stop(), setPhase("not-found")));

    const timer = setInterval(() => {
      const lag = tickTogether(players.current, (t) => liveTracks.current[t] !== false);
      const rtt = Number.isFinite(w.rttMs) ? w.rttMs / 1000 : 0;
      // Buffer lag + one recorder chunk + the network both ways (publisher up, us down).
      setLatency(lag < 0 ? null : lag + 0.1 + rtt);
    }, 250);
    return () => {
      clearInterval(timer);
      clearInterval(roomPoll);
      for (const t of pulls) t.stop();
      watcher.current = null;
      w.stop();
      for (const p of players.current.values()) p.destroy();
    };
  }, [roomId]);

  const unmute = () => {
    // Voice has its own element; a camera stream may still carry sound (e.g. an ffmpeg ingest).
    videos.camera.current!.muted = !muted;
    voice.current!.muted = !muted;
    setMuted(!muted);
    for (const p of players.current.values()) p.resume();
    setBlocked(false);
  };
  const rename = (name: string) => {
    saveName(localStorage, name);
    chatName.current = cleanName(name);
    // The name is part of hello: say hello again under the new one.
    watcher.current?.reconnect();
  };
  const fullscreen = () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else stage.current?.requestFullscreen?.().catch(() => {});
  };

  // Not found keeps the page's frame (toolbar, layout) and says so where the video would be.
  const overlay = phase === "live" ? null : phase === "not-found"
    ? [
      "Room not found",
      `There is no room “${roomId}”. Check the link, or ask the presenter for a new one.`,
    ]
    : phase === "ended"
    ? [
      "The broadcast has ended",
      "Thanks for watching. This page picks up again if the presenter comes back.",
    ]
    : phase === "unsupported"
    ? ["This browser cannot play the stream", "Try a current Chrome, Edge, Firefox or Safari."]
    : ["Waiting for the presenter…", "The stream starts here by itself as soon as they go live."];
  return (
    <section
      class="viewer"
      data-layout={layout}
      data-room={roomId}
      data-phase={phase}
      data-transport={transport}
      data-board-view={view}
    >
      <div class="toolbar viewer-bar">
        <h1 class="viewer-title">{title || "Live session"}</h1>
        {phase === "live" && (
          <span class="badge badge-live">
            <span class="dot" />Live
          </span>
        )}
        <span class="stat" data-testid="viewer-count">{viewers} watching</span>
        {phase === "live" && latency !== null && (
          <span
            class="stat muted"
            data-testid="latency"
            title="Estimated delay behind the presenter"
          >
            ≈ {latency.toFixed(1)} s behind
          </span>
        )}
        <span class="toolbar-spacer" />
        <button
          type="button"
          class={muted || blocked ? "button button-primary" : "button"}
          data-testid="unmute"
          disabled={!hydrated}
          onClick={unmute}
        >
          {muted || blocked ? "Unmute" : "Mute"}
        </button>
        <button
          type="button"
          class="button"
          data-testid="layout-toggle"
          disabled={!hydrated}
          onClick={() => setLayout(layout === "side-by-side" ? "focus" : "side-by-side")}
        >
          {layout === "side-by-side" ? "Whiteboard focus" : "Side by side"}
        </button>
        <button
          type="button"
          class="button"
          data-testid="slides-toggle"
          aria-pressed={view === "slides"}
          disabled={!hydrated}
          onClick={() => setBoardView(view === "slides" ? "video" : "slides")}
        >
          {view === "slides" ? "Board video" : "Slides + ink"}
        </button>
        <button
          type="button"
          class="button"
          data-testid="fullscreen"
          disabled={!hydrated}
          onClick={fullscreen}
        >
          Fullscreen
        </button>
      </div>
      <div class="viewer-body">
        <div class="stage" ref={stage}>
          {view === "slides" && <SlideView mirror={slides} />}
          {TRACKS.map((track) => (
            <video
              key={track}
              ref={videos[track]}
              data-track={track}
              data-active={active[track] === false ? "false" : "true"}
              muted
              playsInline
              autoPlay
            />
          ))}
          <audio
            ref={voice}
            data-track="audio"
            data-active={active.audio === false ? "false" : "true"}
            muted
            autoPlay
          />
          {overlay && (
            <div
              class="stage-overlay"
              data-testid={phase === "not-found" ? "room-not-found" : "waiting"}
              role="status"
            >
              <strong>{overlay[0]}</strong>
              <span>{overlay[1]}</span>
              {phase === "not-found" && <a class="button" href="/">Live rooms</a>}
            </div>
          )}
        </div>
        <DvrPanel roomId={roomId} live={phase === "live"} enabled={hydrated} />
        <ChatPanel
          messages={chat.messages}
          me={chat.me?.participant}
          name={chat.me?.name ?? ""}
          notice={chat.notice}
          muted={chat.muted}
          enabled={hydrated && online}
          offline={!hydrated || online
            ? undefined
            : phase === "ended"
            ? "The session has ended."
            : phase === "not-found"
            ? "No such room."
            : "Connecting to the chat…"}
          onSend={(text) => watcher.current?.send({ type: "chat", text }) ?? false}
          onRename={rename}
        />
      </div>
    </section>
  );
}

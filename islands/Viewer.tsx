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
import { ProfileControl } from "../components/ProfileControl.tsx";
import { stillDelayMs } from "../lib/client/still_delay.ts";
import { CameraStill } from "../components/CameraStill.tsx";
import { Lane } from "../lib/client/lane.ts";
import { type ConnectionLike, ProfileRunner } from "../lib/client/profile_runner.ts";
import { isVoiceTrack, type Mode, type VoiceTrack } from "../lib/client/profile_policy.ts";
import { type ProfileName, PROFILES, voiceEdgeFor } from "../lib/client/profiles.ts";

export interface Props {
  roomId: string;
  /** A profile picked in the URL (`?profile=low`): manual from the start; null: automatic. */
  profile?: ProfileName | null;
}

type Layout = "side-by-side" | "focus";
type Phase = "connecting" | "waiting" | "live" | "ended" | "not-found" | "unsupported";
const TRACKS = ["whiteboard", "camera"] as const;
type VideoTrack = typeof TRACKS[number];
/**
 * The camera slot's element plays `camera` or, on `medium`, `camera-low`
 * (never both: a profile takes one), so the page keeps one camera element.
 */
const ELEMENT: Record<string, VideoTrack> = { "camera-low": "camera" };

/**
 * A viewer: voice, then slides and ink, then video as the link allows (the
 * profiles of lib/client/profiles.ts, picked by lib/client/profile_runner.ts
 * or by hand), live, near the live edge. Voice comes over the main socket;
 * video over the lane (lib/client/lane.ts), which a step down closes at once.
 * The voice is `audio` or, where the link cannot carry that, its smaller
 * encode `audio-low` (the runner picks); both play in the one voice element,
 * spliced on the shared clock (MsePlayer.splice).
 */
export default function Viewer({ roomId, profile: urlProfile = null }: Props) {
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
  const videos: Record<VideoTrack, { current: HTMLVideoElement | null }> = {
    whiteboard: useRef<HTMLVideoElement>(null),
    camera: useRef<HTMLVideoElement>(null),
  };
  const [profile, setProfile] = useState<ProfileName>(urlProfile ?? "ultra-low");
  const [mode, setMode] = useState<Mode>(urlProfile ? "manual" : "auto");
  const [voiceTrack, setVoiceTrack] = useState<VoiceTrack>("audio");
  /** What the last probe of the link measured, kbit/s (`data-probe-kbps`). */
  const [probeKbps, setProbeKbps] = useState<number | null>(null);
  const runner = useRef<ProfileRunner | null>(null);
  /** The latest camera snapshot (`camera` message), for profiles without camera video. */
  const [cameraSnapshot, setCameraSnapshot] = useState<string | null>(null);
  /** True for a while after a step down: the still is not fetched yet (lib/client/still_delay.ts). */
  const [stillHeld, setStillHeld] = useState(false);
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
  const p = PROFILES[profile];
  // Below high there is no whiteboard video: the board is slides and ink (or snapshots).
  const view = p.boardAsData ? "slides" : boardView ?? (hasDeck ? "slides" : "video");
  const cameraKind = p.camera === "camera-low" && active["camera-low"] !== true
    ? (cameraSnapshot ? "snapshot" : "none") // a publisher without the small encode
    : p.camera === "snapshot" && (!cameraSnapshot || stillHeld)
    ? "none"
    : p.camera;

  useEffect(() => {
    const MediaSource = mediaSourceClass();
    if (!MediaSource) return setPhase("unsupported");
    const env: MseEnv = {
      MediaSource,
      createObjectURL: (ms) => URL.createObjectURL(ms),
      revokeObjectURL: (url) => URL.revokeObjectURL(url),
      now: () => performance.now(),
    };
    const r = new ProfileRunner({
      fetch: (url, init) => fetch(url, init),
      now: () => performance.now(),
      connection: (navigator as { connection?: ConnectionLike }).connection ?? null,
      manual: urlProfile,
    });
    runner.current = r;
    /** The profile in effect: what to receive and show. */
    let current = r.profile;
    /** The voice encode received now, and the one the voice player last started. */
    let voiceNow: VoiceTrack = r.voice;
    let voicePlayed: string | null = null;
    /** Each voice encode's clock shift, as the last `stats` said (for a splice). */
    const voiceShifts = new Map<string, number>();
    setVoiceTrack(voiceNow);
    const laneTracks = (): readonly string[] => PROFILES[current].lane;
    const mainTracks = (): string[] =>
      PROFILES[current].main.map((t) => (t === "audio" ? voiceNow : t));
    const wanted = (track: string) => mainTracks().includes(track) || laneTracks().includes(track);
    /** Either voice encode plays in the voice player, which leads (player_group.ts). */
    const key = (track: string) => (isVoiceTrack(track) ? "audio" : track);
    const player = (track: string) => {
      const video = isVoiceTrack(track)
        ? voice.current
        : videos[ELEMENT[track] ?? track as VideoTrack]?.current;
      if (!video) return null; // A track this page does not show (yet).
      let p = players.current.get(key(track));
      if (!p) {
        p = new MsePlayer(video, env, isVoiceTrack(track) ? voiceEdgeFor(current, voiceNow) : {});
        p.onPlayBlocked = () => setBlocked(true);
        players.current.set(key(track), p);
      }
      return p;
    };
    const onInit = (track: string, mime: string, bytes: Uint8Array, clockMs?: number) => {
      if (!wanted(track)) return; // left over from before a switch
      if (!MediaSource.isTypeSupported(mime)) return setPhase("unsupported");
      r.reinit(track);
      const p = player(track);
      // The other voice encode continues the same element on the shared clock; a new stream of
      // the same encode (the presenter reconnected) starts afresh.
      if (p && isVoiceTrack(track) && voicePlayed !== null && voicePlayed !== track) {
        p.splice(mime, bytes, clockMs);
        // That encode's stream runs already: its shift, as the last stats said, holds now.
        p.shiftClock(voiceShifts.get(track) ?? 0);
      } else p?.init(mime, bytes, clockMs);
      if (isVoiceTrack(track)) voicePlayed = track;
      setPhase("live");
    };
    const onMedia = (track: string, bytes: Uint8Array, keyframe: boolean, ts: number | null) => {
      if (!wanted(track)) return;
      r.media(track, bytes.byteLength, ts, laneTracks().includes(track));
      player(track)?.media(bytes, keyframe);
    };
    // Pull mode (lib/client/pull_track.ts): media over cacheable HTTP pieces, the
    // profile's tracks only; the WebSocket then carries only state and chat.
    const pulls = new Map<string, PullTrack>();
    let pulling = false;
    let roomPoll: ReturnType<typeof setInterval> | undefined;
    const syncPulls = () => {
      for (const [track, t] of pulls) {
        if (!wanted(track)) (t.stop(), pulls.delete(track));
      }
      for (const track of [...mainTracks(), ...laneTracks()]) {
        if (pulls.has(track)) continue;
        const t = new PullTrack({
          base: `/s/${encodeURIComponent(roomId)}/${track}`,
          fetch: (url, init) => fetch(url, init),
        });
        t.onInit = (mime, bytes, clockMs) => onInit(track, mime, bytes, clockMs);
        t.onMedia = (bytes, keyframe) => onMedia(track, bytes, keyframe, null);
        t.onGone = () => {
          player(track)?.reset();
          if (isVoiceTrack(track)) voicePlayed = null;
        };
        t.start();
        pulls.set(track, t);
      }
    };
    const watchUrl = socketUrl(location, `/api/rooms/${encodeURIComponent(roomId)}/watch`);
    chatName.current = loadName(globalThis.localStorage);
    const w = new Watcher({
      url: watchUrl,
      room: roomId,
      name: () => chatName.current,
      media: () => !pulling,
    });
    watcher.current = w;
    // Video travels on the lane; a server without lanes (no `welcome.lane`) sends it here.
    const lane = new Lane({ url: watchUrl, room: roomId });
    let laneToken = "";
    let lanes = true;
    let subscribed = "";
    const subscribeMain = () => {
      const tracks = [...mainTracks(), ...(lanes ? [] : laneTracks())];
      if (tracks.join() === subscribed) return;
      subscribed = tracks.join();
      w.subscribe(tracks);
    };
    const openLane = () => {
      if (pulling || !lanes || !laneToken) return lane.close();
      lane.open(laneToken, laneTracks());
      r.laneChanged();
    };
    lane.onInit = (track, mime, bytes, clockMs) => !pulling && onInit(track, mime, bytes, clockMs);
    lane.onMedia = (track, bytes, keyframe, ts) => !pulling && onMedia(track, bytes, keyframe, ts);
    lane.onDelivery = (d) => r.laneDelivery(d);
    let stillTimer: ReturnType<typeof setTimeout> | undefined;
    const applyProfile = (name: ProfileName) => {
      const stillDelay = stillDelayMs(current, name);
      clearTimeout(stillTimer);
      setStillHeld(stillDelay > 0);
      if (stillDelay > 0) stillTimer = setTimeout(() => setStillHeld(false), stillDelay);
      current = name;
      setProfile(name);
      setMode(r.mode);
      // What this profile does not take stops at once, so lip sync waits for nothing gone.
      for (const [track, p] of players.current) {
        if (track !== "audio" && !wanted(track)) p.reset();
      }
      players.current.get("audio")?.tune(voiceEdgeFor(name, voiceNow));
      if (pulling) return syncPulls();
      subscribeMain(); // voice stays: only video tracks come or go
      openLane();
    };
    r.onProbe = (bps) => setProbeKbps(Math.round(bps / 1000));
    r.onChange = (name, mode) => name === current ? setMode(mode) : applyProfile(name);
    r.onVoice = (track) => {
      voiceNow = track;
      setVoiceTrack(track);
      players.current.get("audio")?.tune(voiceEdgeFor(current, track));
      if (pulling) return syncPulls();
      subscribeMain(); // the new encode's init splices into the voice element
      // Going small means the link could not carry the voice: what the server already wrote to
      // this socket sits in the slow link ahead of the new encode (measured at 24 kbit/s: ~18 s).
      // A fresh socket starts clean; closing the old one drops that backlog (as a lane's does).
      if (track === "audio-low") w.reconnect();
    };
    applyProfile(current); // the tracks said in the first hello
    w.onMessage = (m) => {
      slides.apply(m); // slide, ink, ink-replay, screen; the rest it ignores
      if (m.type === "slide") setHasDeck(m.deck !== null);
      if (m.type === "camera") setCameraSnapshot(m.snapshot);
      if (m.type === "stats") {
        r.bitrates(m.tracks);
        // Sound whose page lost samples runs slow against the clock: lip sync needs the shift.
        for (const t of m.tracks) {
          if (isVoiceTrack(t.name)) voiceShifts.set(t.name, t.clockShiftMs ?? 0);
          if (isVoiceTrack(t.name) && t.name !== voiceNow) continue; // not the voice playing
          players.current.get(key(t.name))?.shiftClock(t.clockShiftMs ?? 0);
        }
      }
      if (m.type === "welcome") {
        laneToken = m.lane ?? "";
        lanes = m.lane !== undefined;
        subscribeMain();
        openLane();
      }
      setChat((c) => reduceChat(c, m));
    };
    w.onTitle = setTitle;
    w.onViewers = setViewers;
    w.onInit = (track, mime, bytes, clockMs) => !pulling && onInit(track, mime, bytes, clockMs);
    w.onMedia = (track, bytes, keyframe, ts) => !pulling && onMedia(track, bytes, keyframe, ts);
    w.onState = (s) => {
      liveTracks.current = Object.fromEntries(s.tracks.map((t) => [t.name, t.live]));
      setActive(liveTracks.current);
      r.live((t) => liveTracks.current[t] === true);
      setPhase((p) => (s.live ? (p === "live" ? p : "waiting") : "waiting"));
      if (!s.live) {
        for (const p of players.current.values()) p.reset();
        voicePlayed = null;
      }
    };
    w.onEnded = () => {
      lane.close();
      for (const p of players.current.values()) p.reset();
      voicePlayed = null;
      setPhase("ended");
    };
    w.onNotFound = () => setPhase("not-found");
    const fallback = new SocketFallback();
    let open = false;
    // Without a WebSocket, `GET /api/rooms/:id` says what `state` would.
    const pollRoom = async () => {
      if (open) return;
      const status = await roomStatus(fetch, roomId);
      if (status === "not-found") return setPhase("not-found");
      if (!status) return;
      setTitle(status.title);
      setViewers(status.viewers);
      if (!status.live) setPhase("waiting");
    };
    const startPull = () => {
      if (pulling) return;
      pulling = true;
      setTransport("http");
      lane.close();
      syncPulls();
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
    r.start();
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
      clearTimeout(stillTimer);
      r.stop();
      runner.current = null;
      for (const t of pulls.values()) t.stop();
      watcher.current = null;
      lane.close();
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
      data-profile={profile}
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
        <ProfileControl
          profile={profile}
          mode={mode}
          enabled={hydrated}
          probeKbps={probeKbps}
          onPick={(choice) => runner.current?.override(choice)}
        />
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
          disabled={!hydrated || p.boardAsData}
          title={p.boardAsData
            ? "This quality level shows slides and ink, not the board video"
            : undefined}
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
          {view === "slides" && <SlideView mirror={slides} maxBox={p.slideBox} />}
          {TRACKS.map((element) => {
            const track = element === "camera" && cameraKind === "camera-low"
              ? "camera-low"
              : element;
            return (
              <video
                key={element}
                ref={videos[element]}
                class={element === "camera" ? "camera-view" : undefined}
                data-track={track}
                data-active={active[track] === false ? "false" : "true"}
                hidden={element === "camera" && cameraKind !== "camera" &&
                  cameraKind !== "camera-low"}
                muted
                playsInline
                autoPlay
              />
            );
          })}
          {(cameraKind === "snapshot" || cameraKind === "none") && (
            <CameraStill
              snapshot={cameraKind === "snapshot" ? cameraSnapshot : null}
              voiceOnly={profile === "ultra-low"}
            />
          )}
          <audio
            ref={voice}
            data-track="audio"
            data-voice={voiceTrack}
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
        <DvrPanel
          roomId={roomId}
          live={phase === "live"}
          enabled={hydrated}
          pollMs={p.lane.length > 0 ? undefined : 30_000}
        />
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

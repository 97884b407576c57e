import { useEffect, useRef, useState } from "preact/hooks";
import { useHydrated } from "../lib/client/hydrated.ts";
import { Publisher, type PublisherStatus } from "../lib/client/publisher.ts";
import {
  adoptRoom,
  createRoom,
  ensureRoom,
  renameRoom,
  type RoomCredentials,
  roomFromLink,
  saveRoom,
} from "../lib/client/rooms_api.ts";
import { socketUrl } from "../lib/client/watcher.ts";
import { Board } from "../components/Board.tsx";
import { DevicePanel } from "../components/DevicePanel.tsx";
import { LiveStatus } from "../components/LiveStatus.tsx";
import { SharePanel } from "../components/SharePanel.tsx";
import { ChatPanel } from "../components/ChatPanel.tsx";
import { PastLessons } from "../components/PastLessons.tsx";
import { EMPTY_CHAT, reduceChat } from "../lib/client/chat_state.ts";
import {
  BOARD_SNAPSHOT,
  CAMERA_SNAPSHOT,
  captureJpeg,
  captureScaledJpeg,
  SnapshotUploader,
  startSnapshotFeed,
} from "../lib/client/snapshot.ts";
import { type LowCamera, lowCamera } from "../lib/client/camera_low.ts";
import { publishDevices } from "../lib/client/device_tracks.ts";
import { SlidePanel } from "../components/SlidePanel.tsx";
import { InkSender } from "../lib/client/ink_sender.ts";
import {
  controlSlides,
  type CurrentSlide,
  currentSlide,
  uploadDeck,
} from "../lib/client/slides_api.ts";
import { pagesOf, renditionRenderer } from "../lib/client/slide_pages.ts";
import { pickRendition } from "../lib/slides/renditions.ts";
import { slideKeyAction } from "../lib/client/slide_keys.ts";

export interface Props {
  /** Title for a room created on first visit. */
  title?: string;
}

/** sessionStorage flag: this tab was live, so a reload goes live again by itself. */
const RESUME_KEY = "chalkcast.studio.live";

/** The presenter's studio: room link, facecam, whiteboard, go live. */
export default function Studio({ title: defaultTitle = "Untitled session" }: Props) {
  const hydrated = useHydrated();
  const [room, setRoom] = useState<RoomCredentials | null>(null);
  const [title, setTitle] = useState(defaultTitle);
  const [notice, setNotice] = useState<string | undefined>();
  const [status, setStatus] = useState<PublisherStatus>("idle");
  const [viewers, setViewers] = useState(0);
  const [bitrates, setBitrates] = useState<Record<string, number>>({});
  const [liveAt, setLiveAt] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());
  const [screen, setScreen] = useState<MediaStream | null>(null);
  const publisher = useRef<Publisher | null>(null);
  const camera = useRef<MediaStream | null>(null);
  /** Whether the device stream has a picture: camera snapshots are uploaded meanwhile. */
  const [cameraOn, setCameraOn] = useState(false);
  /** What makes the `camera-low` encode's source while live. */
  const lowCam = useRef<LowCamera | null>(null);
  const board = useRef<MediaStream | null>(null);
  const ready = useRef({ camera: false, room: null as RoomCredentials | null });
  const [chat, setChat] = useState(EMPTY_CHAT);
  const snapshots = useRef<SnapshotUploader | null>(null);
  const boardCanvas = useRef<HTMLCanvasElement | null>(null);
  /** A detached player of the camera stream, for the directory thumbnail. */
  const cameraVideo = useRef<HTMLVideoElement | null>(null);
  const [slide, setSlide] = useState<CurrentSlide | null>(null);
  const [slideStatus, setSlideStatus] = useState<string | undefined>();
  const [uploading, setUploading] = useState(false);
  /** The ink as data, on the broadcast's socket; null while not live. */
  const [ink, setInk] = useState<InkSender | null>(null);
  const [inkEpoch, setInkEpoch] = useState(0);

  useEffect(() => {
    openRoom().then((r) => {
      setRoom(r);
      currentSlide(fetch, r.id).then(setSlide, () => {});
      if (r.title) setTitle(r.title);
      ready.current.room = r;
      maybeResume();
    }, (err) => setNotice(err.message));
    const timer = setInterval(() => {
      setNow(Date.now());
      if (publisher.current) setBitrates(publisher.current.bitrates());
    }, 1000);
    return () => {
      clearInterval(timer);
      snapshots.current?.stop();
      publisher.current?.stop();
    };
  }, []);

  /**
   * The room of a studio link (`#room=…&key=…`, e.g. opened on a tablet) if
   * there is one, else the remembered or a new room. The fragment is removed
   * from the address bar once read: the key should not linger on screen.
   */
  const openRoom = async (): Promise<RoomCredentials> => {
    const link = roomFromLink(location.hash);
    if (link) {
      history.replaceState(null, "", location.pathname + location.search);
      try {
        return await adoptRoom(fetch, localStorage, link);
      } catch (err) {
        setNotice((err as Error).message);
      }
    }
    return ensureRoom(fetch, localStorage, defaultTitle);
  };

  /** After a reload of a live tab: go live again once the room and devices are ready. */
  const maybeResume = () => {
    const { room, camera } = ready.current;
    if (room && camera && !publisher.current && sessionStorage.getItem(RESUME_KEY) === room.id) {
      goLive(room);
    }
  };

  const goLive = (r: RoomCredentials) => {
    const p = new Publisher({
      url: socketUrl(location, `/api/rooms/${encodeURIComponent(r.id)}/publish`),
      room: r.id,
      key: r.key,
    });
    const sender = new InkSender({ send: (m) => p.send(m) });
    p.onStatus = (s, detail) => {
      if (s === "live") {
        sender.connected();
        setInkEpoch((e) => e + 1);
      }
      setStatus(s);
      setNotice(s === "failed" ? failureText(detail) : undefined);
      if (s === "failed") sessionStorage.removeItem(RESUME_KEY);
    };
    p.onState = (m) => setViewers(m.viewers);
    p.onMessage = (m) => {
      if (m.type === "stats") setViewers(m.viewers);
      if (m.type === "slide") setSlide(m);
      setChat((c) => reduceChat(c, m));
    };
    p.onTrackError = (track, message) => setNotice(`${track}: ${message}`);
    publishDevices(p, camera.current);
    publishLowCamera(p, camera.current);
    p.setSource("whiteboard", board.current);
    publisher.current = p;
    setInk(sender);
    sessionStorage.setItem(RESUME_KEY, r.id);
    setLiveAt(Date.now());
    p.start();
    startSnapshots(r);
  };

  /** The `camera-low` track from the device stream (null stops it). */
  const publishLowCamera = (p: Publisher, stream: MediaStream | null) => {
    const low = stream ? lowCamera(stream) : null;
    p.setSource("camera-low", low?.stream ?? null);
    lowCam.current?.stop();
    lowCam.current = low;
  };

  /** Every ~5 s while live: a JPEG of the board and camera for the directory. */
  const startSnapshots = (r: RoomCredentials) => {
    snapshots.current?.stop();
    const canvas = document.createElement("canvas");
    const uploader = new SnapshotUploader({
      roomId: r.id,
      key: r.key,
      capture: () => captureJpeg(canvas, boardCanvas.current, cameraVideo.current),
    });
    snapshots.current = uploader;
    uploader.start();
  };

  const stop = () => {
    snapshots.current?.stop();
    snapshots.current = null;
    publisher.current?.stop();
    publisher.current = null;
    lowCam.current?.stop();
    lowCam.current = null;
    setInk(null);
    sessionStorage.removeItem(RESUME_KEY);
    setStatus("idle");
    setLiveAt(null);
    setBitrates({});
  };

  const onCamera = (stream: MediaStream | null) => {
    camera.current = stream;
    cameraVideo.current ??= Object.assign(document.createElement("video"), {
      muted: true,
      playsInline: true,
    });
    cameraVideo.current.srcObject = stream;
    if (stream) cameraVideo.current.play().catch(() => {});
    setCameraOn((stream?.getVideoTracks().length ?? 0) > 0);
    if (publisher.current) {
      publishDevices(publisher.current, stream);
      publishLowCamera(publisher.current, stream);
    }
    ready.current.camera = true;
    maybeResume();
  };

  const onCanvas = (canvas: HTMLCanvasElement) => {
    boardCanvas.current = canvas;
    board.current = canvas.captureStream(15);
    publisher.current?.setSource("whiteboard", board.current);
  };

  const newRoom = async () => {
    stop();
    try {
      const r = await createRoom(fetch, title);
      saveRoom(localStorage, r);
      ready.current.room = r;
      setRoom(r);
      setViewers(0);
    } catch (err) {
      setNotice((err as Error).message);
    }
  };

  const commitTitle = () => {
    if (!room || room.title === title) return;
    const r = { ...room, title };
    saveRoom(localStorage, r);
    setRoom(r);
    renameRoom(fetch, r, title);
  };

  const toggleScreen = async () => {
    if (screen) {
      screen.getTracks().forEach((t) => t.stop());
      return setScreen(null);
    }
    try {
      const s = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 } });
      s.getVideoTracks()[0]?.addEventListener("ended", () => setScreen(null));
      setScreen(s);
    } catch {
      // The presenter cancelled the picker.
    }
  };

  const moveSlide = (action: "next" | "previous") => {
    if (!room || !slide?.count) return;
    controlSlides(fetch, room, action).then(setSlide, (err) => setSlideStatus(err.message));
  };
  const latestMove = useRef(moveSlide);
  latestMove.current = moveSlide;
  // Arrow keys and PageUp/PageDown (what presentation clickers send), except while typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = slideKeyAction(e);
      if (!action) return;
      e.preventDefault();
      latestMove.current(action);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const uploadSlides = async (files: File[]) => {
    if (!room) return;
    setUploading(true);
    setSlideStatus("Reading the slides…");
    try {
      const pages = await pagesOf(files);
      await uploadDeck({
        fetch,
        roomId: room.id,
        key: room.key,
        pages: pages.length,
        render: renditionRenderer(pages),
        onProgress: (done, total) =>
          setSlideStatus(`Uploading ${Math.round((100 * done) / total)} %`),
      });
      setSlide(await currentSlide(fetch, room.id));
      setSlideStatus(undefined);
    } catch (err) {
      setSlideStatus((err as Error).message);
    } finally {
      setUploading(false);
    }
  };

  // A screen share cannot travel as ink: low-bandwidth viewers get board snapshots instead.
  useSnapshotFeed(
    screen !== null && ink !== null ? room : null,
    "board-snapshot",
    () => boardCanvas.current,
    BOARD_SNAPSHOT,
  );
  // While live with a camera: a small camera JPEG every 5 s for viewers that take no camera video.
  useSnapshotFeed(
    cameraOn && ink !== null ? room : null,
    "camera-snapshot",
    () => cameraVideo.current,
    CAMERA_SNAPSHOT,
  );

  const live = publisher.current !== null;
  const viewerUrl = room && hydrated ? new URL(room.viewerUrl, location.origin).href : "";
  const insecure = hydrated && !globalThis.isSecureContext;
  return (
    <section class="studio" data-state={live ? "live" : "idle"} data-room={room?.id}>
      {insecure && (
        <p class="notice notice-warning" role="alert" data-testid="insecure-notice">
          <strong>
            This page is not secure, so the browser will not give it the camera or microphone.
          </strong>{" "}
          Browsers allow capture only on https:// pages or on localhost. Open the studio over https:
          start the server with <code>--self-signed</code> (or <code>--cert</code> and{" "}
          <code>--key</code>) and use the https:// address it prints, or present from the server's
          own computer at http://localhost. The whiteboard works here without a camera.
        </p>
      )}
      <div class="studio-head">
        <input
          class="title-input"
          aria-label="Session title"
          data-testid="room-title"
          value={title}
          disabled={!hydrated || !room}
          maxLength={200}
          onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
          onBlur={commitTitle}
          onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
        />
        <LiveStatus
          status={status}
          viewers={viewers}
          elapsedS={liveAt === null ? null : Math.max(0, (now - liveAt) / 1000)}
          bitrates={bitrates}
          detail={notice}
        />
        <button
          type="button"
          class={live ? "button button-danger go-live" : "button button-primary go-live"}
          data-testid="go-live"
          disabled={!hydrated || !room}
          onClick={() => (live ? stop() : goLive(room!))}
        >
          {live ? "■ Stop" : "● Go live"}
        </button>
      </div>
      <div class="studio-grid">
        <div class="stack">
          <Board
            onCanvas={onCanvas}
            screen={screen}
            enabled={hydrated}
            roomId={room?.id ?? null}
            page={{
              deck: slide?.deck ?? null,
              index: slide?.index ?? 0,
              image: pickRendition(slide?.renditions ?? [], { w: 1280, h: 720 })?.url ?? null,
            }}
            ink={ink}
            inkEpoch={inkEpoch}
          />
          <SlidePanel
            enabled={hydrated && room !== null}
            slide={slide}
            status={slideStatus}
            busy={uploading}
            onFiles={uploadSlides}
            onPrevious={() => moveSlide("previous")}
            onNext={() => moveSlide("next")}
          />
          <div class="row">
            <button
              type="button"
              class="button"
              aria-pressed={screen !== null}
              disabled={!hydrated}
              onClick={toggleScreen}
              data-testid="screen-share"
            >
              {screen ? "Back to whiteboard" : "Share screen instead"}
            </button>
          </div>
        </div>
        <aside class="stack studio-side">
          <DevicePanel onStream={onCamera} enabled={hydrated} />
          <SharePanel viewerUrl={viewerUrl} enabled={hydrated} onNewRoom={newRoom} />
          <ChatPanel
            messages={chat.messages}
            me={chat.me?.participant}
            notice={chat.notice}
            enabled={hydrated && status === "live"}
            offline={status === "live" ? undefined : "Go live to join the chat"}
            onSend={(text) => publisher.current?.send({ type: "chat", text }) ?? false}
            onDelete={(id) => publisher.current?.send({ type: "chat-delete", id })}
            onMute={(participant) => publisher.current?.send({ type: "chat-mute", participant })}
          />
          <PastLessons room={room} revision={status} enabled={hydrated} />
        </aside>
      </div>
    </section>
  );
}

/**
 * Uploads `source` scaled into `box` every ~5 s to `path` while `room` is
 * set (live, and the source is on); removes it when that ends.
 */
function useSnapshotFeed(
  room: RoomCredentials | null,
  path: string,
  source: () => HTMLCanvasElement | HTMLVideoElement | null,
  box: { w: number; h: number },
): void {
  useEffect(() => {
    if (!room) return;
    const canvas = document.createElement("canvas");
    return startSnapshotFeed({
      roomId: room.id,
      key: room.key,
      path,
      capture: () => captureScaledJpeg(canvas, source(), box),
    });
  }, [room?.id, path]);
}

function failureText(detail = ""): string {
  const code = Number(detail.split(" ")[0]);
  if (code === 4002) return "This room went live from another tab or device.";
  if (code === 4000) return "This room has ended: start a new room.";
  if (code === 4404) return "This room no longer exists: start a new room.";
  if (code === 4401) return "The server refused this room's key: start a new room.";
  return `The broadcast stopped: ${detail}`;
}

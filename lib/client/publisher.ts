/**
 * The presenter's side of the wire: one MediaRecorder per track, all over one
 * reconnecting socket (socket.ts). On every (re)connection each recorder is
 * started afresh, so the server always gets `track-start` followed by a new
 * init segment; a second `track-start` for a track means "new stream".
 *
 * The studio publishes voice, camera and whiteboard as separate tracks
 * (`audio` Opus only at a speech bitrate, `camera` and `whiteboard` video
 * only, and `camera-low`, a small second encode of the camera for slow
 * links): a viewer can take voice alone, and Firefox's MSE cannot take the
 * muxed VP8+Opus clusters Chromium records. Each `track-start` carries
 * `clockMs`, this page's clock (Unix ms) when that recorder started, i.e. at
 * its media time 0: one clock for every track, so viewers play them in sync.
 *
 * Recorders ask for a keyframe every second (`videoKeyFrameIntervalDuration`).
 * Browsers that ignore it (Firefox keys every ~7 s) are caught from the
 * server's `stats` (keyframeAgeMs): such a track's recorder is restarted
 * every `restartEveryMs` (`camera-low`: every 2 s, its promise to viewers
 * that switch to it mid-lesson), so a late joiner never waits long. A congested
 * socket drops chunks, and the track restarts once the socket drains: a
 * WebM stream cannot resume mid-cluster.
 */
import {
  type ClientMessage,
  CLOSE,
  type ServerMessage,
  type StateMessage,
  type TrackHint,
} from "../protocol.ts";
import { RateMeter } from "./rate_meter.ts";
import { chooseRecorderType } from "./recorder_choice.ts";
import { isFatalClose, ProtocolSocket, type SocketOptions } from "./socket.ts";

/** The part of MediaRecorder used here. */
export interface RecorderLike {
  readonly state: string;
  ondataavailable: ((ev: { data: Blob }) => unknown) | null;
  start(timesliceMs: number): void;
  stop(): void;
}

export type RecorderFactory = (
  stream: MediaStream,
  options: Record<string, unknown>,
) => RecorderLike;

export type PublisherStatus =
  | "idle"
  | "connecting"
  | "live"
  | "reconnecting"
  | "stopped"
  | "failed";

export interface PublisherOptions {
  url: string;
  room: string;
  key: string;
  chunkMs?: number;
  /** Restart a track this often when the server sees keyframes further apart than 3 s. */
  restartEveryMs?: number;
  /** Above this many bytes queued in the socket, chunks are dropped. */
  maxBufferedBytes?: number;
  isTypeSupported?: (mime: string) => boolean;
  createRecorder?: RecorderFactory;
  connect?: SocketOptions["connect"];
  /** The reconnect timer (default setTimeout); tests fire it by hand. */
  schedule?: SocketOptions["schedule"];
  now?: () => number;
  /** Unix ms with sub-ms precision, monotonic: the clock sent in `track-start`. */
  clock?: () => number;
}

interface Running {
  recorder: RecorderLike;
  mime: string;
  startedAt: number;
  congested: boolean;
  chain: Promise<void>;
}

/** Video bits per second per track; `camera-low` fits the `medium` profile (128–256 kbit/s). */
export const BITRATE: Record<string, number> = {
  camera: 1_000_000,
  "camera-low": 100_000,
  whiteboard: 1_200_000,
};
/**
 * Opus for speech on the voice track: clear enough for a lecture, and it
 * leaves room for slides and ink in the lowest profile (< 64 kbit/s).
 */
export const VOICE_BITRATE = 24_000;
/** Sound muxed with video (a source that carries both, e.g. from older studios). */
const MUXED_AUDIO_BITRATE = 64_000;
/**
 * This much media since the newest keyframe (the server's `keyframeAgeMs`)
 * shows a recorder that ignores the asked-for interval (Firefox: ~7.5 s),
 * before its second keyframe does; the track then restarts regularly. Not
 * the average spacing: a canvas starved of frames on a loaded machine makes
 * every rare frame a keyframe, seconds apart, and restarting it would only
 * starve it more. A server without `keyframeAgeMs` is judged by the average.
 */
const STALE_KEYFRAME_MS = 5_000;
const SPARSE_KEYFRAMES_MS = 3_000;
/**
 * Tracks that promise keyframes at least this often (ms): a viewer steps
 * up to `camera-low` mid-lesson and must not wait for a picture. Such a
 * track restarts this often once its keyframes are seen to be later.
 */
export const KEYFRAME_EVERY_MS: Record<string, number> = { "camera-low": 2_000 };

/** Publishes the sources set with `setSource()` while started. */
export class Publisher {
  onStatus: (status: PublisherStatus, detail?: string) => void = () => {};
  onState: (state: StateMessage) => void = () => {};
  onMessage: (message: ServerMessage) => void = () => {};
  /** A track could not be recorded (no supported type, recorder error). */
  onTrackError: (track: string, message: string) => void = () => {};
  readonly meters = new Map<string, RateMeter>();
  readonly #o: Required<Omit<PublisherOptions, "connect" | "schedule">>;
  readonly #socket: ProtocolSocket;
  readonly #sources = new Map<string, MediaStream>();
  readonly #running = new Map<string, Running>();
  #slowKeyframes = new Set<string>();

  constructor(options: PublisherOptions) {
    this.#o = {
      chunkMs: 100,
      restartEveryMs: 4_000,
      maxBufferedBytes: 4 * 1024 * 1024,
      isTypeSupported: (t) => MediaRecorder.isTypeSupported(t),
      createRecorder: (s, o) => new MediaRecorder(s, o) as unknown as RecorderLike,
      now: () => performance.now(),
      clock: () => performance.timeOrigin + performance.now(),
      ...options,
    };
    this.#socket = new ProtocolSocket({
      url: options.url,
      connect: options.connect,
      schedule: options.schedule,
      now: this.#o.now,
      hello: () => ({
        type: "hello",
        v: 1,
        role: "publisher",
        room: options.room,
        key: options.key,
      }),
      fatal: (code) => isFatalClose(code) || code === CLOSE.replaced || code === CLOSE.roomEnded,
    });
    this.#socket.onStatus = (status, close) => {
      if (status === "open") {
        for (const track of this.#sources.keys()) this.#startTrack(track);
        this.onStatus("live");
      } else {
        this.#stopAll();
        if (status === "closed" && close) this.onStatus("failed", `${close.code} ${close.reason}`);
        else if (status === "closed") this.onStatus("stopped");
        else this.onStatus(status);
      }
    };
    this.#socket.onMessage = (m) => {
      if (m.type === "state") this.onState(m);
      if (m.type === "stats") this.#checkKeyframes(m.tracks);
      this.onMessage(m);
    };
  }

  get rttMs(): number {
    return this.#socket.rttMs;
  }

  /** Sends a control message on the broadcast's socket (chat, moderation); false when not connected. */
  send(message: ClientMessage): boolean {
    return this.#socket.send(message);
  }

  /** Sets, replaces or (with null) removes a track's source; applies at once when live. */
  setSource(track: string, stream: MediaStream | null): void {
    if (stream && stream.getTracks().length > 0) this.#sources.set(track, stream);
    else {
      this.#sources.delete(track);
      if (this.#running.has(track)) {
        this.#stopTrack(track);
        this.#socket.send({ type: "track-stop", track });
      }
      return;
    }
    if (this.#socket.isOpen) this.#startTrack(track);
  }

  /** Connects and starts recording; reconnects by itself until `stop()`. */
  start(): void {
    this.#socket.start();
  }

  /** Ends the broadcast: stops recorders, says track-stop, closes the socket. */
  stop(): void {
    for (const track of [...this.#running.keys()]) {
      this.#stopTrack(track);
      this.#socket.send({ type: "track-stop", track });
    }
    this.#socket.stop();
  }

  /** Sent bits per second per running track. */
  bitrates(): Record<string, number> {
    const now = this.#o.now();
    return Object.fromEntries([...this.#running.keys()].map((t) => [t, this.#meter(t).bps(now)]));
  }

  #meter(track: string): RateMeter {
    let m = this.meters.get(track);
    if (!m) this.meters.set(track, m = new RateMeter());
    return m;
  }

  #startTrack(track: string): void {
    this.#stopTrack(track);
    const stream = this.#sources.get(track)!;
    const video = stream.getVideoTracks().length > 0;
    const choice = chooseRecorderType(
      { video, audio: stream.getAudioTracks().length > 0 },
      this.#o.isTypeSupported,
    );
    if (!choice) return this.onTrackError(track, "this browser cannot record this source");
    const options: Record<string, unknown> = {
      mimeType: choice.mimeType,
      audioBitsPerSecond: video ? MUXED_AUDIO_BITRATE : VOICE_BITRATE,
      ...(video ? { videoBitsPerSecond: BITRATE[track] ?? 1_000_000 } : {}),
      videoKeyFrameIntervalDuration: 1000,
    };
    let recorder: RecorderLike;
    try {
      recorder = this.#o.createRecorder(stream, options);
    } catch (err) {
      return this.onTrackError(track, (err as Error).message);
    }
    const run: Running = {
      recorder,
      mime: choice.mimeType,
      startedAt: this.#o.now(),
      congested: false,
      chain: Promise.resolve(),
    };
    this.#running.set(track, run);
    // Media time 0 is the first frame after start(): this instant, to within a frame.
    const clockMs = Math.round(this.#o.clock() * 10) / 10;
    this.#socket.send({ type: "track-start", track, mime: choice.mimeType, clockMs });
    recorder.ondataavailable = ({ data }) => {
      if (data.size === 0) return;
      // When the recorder handed it over: the server measures sound's drift against the clock.
      const handedAt = Math.round(this.#o.clock() * 10) / 10;
      // arrayBuffer() is async: chain per recorder so chunks leave in order.
      run.chain = run.chain.then(async () => {
        const payload = new Uint8Array(await data.arrayBuffer());
        if (this.#running.get(track) !== run) return;
        this.#send(track, run, payload, handedAt);
      });
    };
    recorder.start(this.#o.chunkMs);
  }

  #send(track: string, run: Running, payload: Uint8Array, handedAt: number): void {
    const buffered = this.#socket.bufferedAmount;
    if (run.congested || buffered > this.#o.maxBufferedBytes) {
      run.congested = true;
      if (buffered < this.#o.maxBufferedBytes / 4) this.#startTrack(track);
      return;
    }
    const restartEveryMs = KEYFRAME_EVERY_MS[track] ?? this.#o.restartEveryMs;
    if (this.#slowKeyframes.has(track) && this.#o.now() - run.startedAt > restartEveryMs) {
      this.#startTrack(track);
      return;
    }
    if (this.#socket.sendMedia({ kind: "chunk", track, timestampMs: handedAt, payload })) {
      this.#meter(track).add(payload.byteLength, this.#o.now());
    }
  }

  #checkKeyframes(hints: TrackHint[]): void {
    for (const h of hints) {
      const promised = KEYFRAME_EVERY_MS[h.name];
      // A quarter over the promise: one late chunk is not yet a recorder that ignores it.
      const sparse = h.keyframeAgeMs === undefined
        ? (h.keyframeIntervalMs ?? 0) > (promised ?? SPARSE_KEYFRAMES_MS)
        : h.keyframeAgeMs > (promised ? promised * 1.25 : STALE_KEYFRAME_MS);
      if (sparse) {
        this.#slowKeyframes.add(h.name);
      }
    }
  }

  #stopTrack(track: string): void {
    const run = this.#running.get(track);
    if (!run) return;
    this.#running.delete(track);
    run.recorder.ondataavailable = null;
    try {
      if (run.recorder.state !== "inactive") run.recorder.stop();
    } catch {
      // Already stopped with its stream.
    }
  }

  #stopAll(): void {
    for (const track of [...this.#running.keys()]) this.#stopTrack(track);
  }
}

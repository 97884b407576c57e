/**
 * The `camera-low` track: a second, small encode of the camera for viewers
 * on a slow link (the `medium` profile, docs/protocol.md "Tracks and lip
 * sync"): at most 320×240 at 15 fps, recorded at ~100 kbit/s.
 *
 * Not a clone of the camera track with smaller constraints: Chromium then
 * reports 320×240 in the settings and shows it so, but its MediaRecorder
 * still records the camera's own 640×480 (measured here). So the studio
 * draws each frame small itself: where the browser has the insertable
 * streams API (Chromium), frame by frame as the camera delivers them, which
 * background-tab timer throttling cannot slow; elsewhere (Firefox) on a
 * canvas redrawn by a 15 fps timer and captured.
 */
import { fitInside } from "../slides/renditions.ts";

/** The picture `camera-low` carries at most. */
export const LOW_CAMERA = { width: 320, height: 240, frameRate: 15 } as const;
const LOW_BOX = { w: LOW_CAMERA.width, h: LOW_CAMERA.height };

/**
 * Keeps at most `fps` frames a second of a faster source, evenly: a 20 fps
 * camera gives 15 (three of every four), a 30 fps one every other frame.
 * Timestamps in µs, as VideoFrame has them. Pure.
 */
export class FrameGate {
  #next = -Infinity;
  readonly #interval: number;

  constructor(fps: number) {
    this.#interval = 1e6 / fps;
  }

  /** True when the frame at `timestampUs` is to be kept. */
  keep(timestampUs: number): boolean {
    // A little early still counts, or jitter would drop every other frame of an exact-rate source.
    if (timestampUs < this.#next - this.#interval / 4) return false;
    // On schedule while frames come near it; after a gap, afresh from this frame (no catch-up burst).
    this.#next = Math.max(this.#next, timestampUs - this.#interval / 2) + this.#interval;
    return true;
  }
}

/** A small camera stream and how to release what makes it. */
export interface LowCamera {
  stream: MediaStream;
  stop(): void;
}

/** The `camera-low` stream of `source`'s camera, or null when it has no video. */
export function lowCamera(source: MediaStream): LowCamera | null {
  const track = source.getVideoTracks()[0];
  if (!track) return null;
  return "MediaStreamTrackProcessor" in globalThis && "MediaStreamTrackGenerator" in globalThis
    ? frameLowCamera(track)
    : canvasLowCamera(track);
}

/** Chromium's insertable streams, not in the DOM typings yet. */
interface InsertableStreams {
  MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack }) => {
    readable: ReadableStream<VideoFrame>;
  };
  MediaStreamTrackGenerator: new (init: { kind: "video" }) => MediaStreamTrack & {
    writable: WritableStream<VideoFrame>;
  };
}

/** Each kept camera frame drawn small into a new frame of a generated track. */
function frameLowCamera(track: MediaStreamTrack): LowCamera {
  const api = globalThis as unknown as InsertableStreams;
  const clone = track.clone();
  const processor = new api.MediaStreamTrackProcessor({ track: clone });
  const generator = new api.MediaStreamTrackGenerator({ kind: "video" });
  const canvas = new OffscreenCanvas(LOW_CAMERA.width, LOW_CAMERA.height);
  const ctx = canvas.getContext("2d");
  const gate = new FrameGate(LOW_CAMERA.frameRate);
  const abort = new AbortController();
  processor.readable.pipeThrough(
    new TransformStream<VideoFrame, VideoFrame>({
      transform(frame, out) {
        try {
          if (!ctx || !gate.keep(frame.timestamp)) return;
          const size = fitInside({ w: frame.displayWidth, h: frame.displayHeight }, LOW_BOX);
          if (canvas.width !== size.w || canvas.height !== size.h) {
            canvas.width = size.w;
            canvas.height = size.h;
          }
          ctx.drawImage(frame, 0, 0, size.w, size.h);
          out.enqueue(new VideoFrame(canvas, { timestamp: frame.timestamp }));
        } finally {
          // Camera frames hold capture buffers: release each at once, kept or not.
          frame.close();
        }
      },
    }),
  ).pipeTo(generator.writable, { signal: abort.signal }).catch(() => {});
  return {
    stream: new MediaStream([generator]),
    stop: () => {
      abort.abort();
      clone.stop();
      generator.stop();
    },
  };
}

/** The fallback: the camera drawn small on a canvas 15 times a second, captured. */
function canvasLowCamera(track: MediaStreamTrack): LowCamera {
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  video.play().catch(() => {});
  const canvas = document.createElement("canvas");
  canvas.width = LOW_CAMERA.width;
  canvas.height = LOW_CAMERA.height;
  const ctx = canvas.getContext("2d");
  const timer = setInterval(() => {
    if (!ctx || video.readyState < 2) return;
    const size = fitInside({ w: video.videoWidth, h: video.videoHeight }, LOW_BOX);
    if (canvas.width !== size.w || canvas.height !== size.h) {
      canvas.width = size.w;
      canvas.height = size.h;
    }
    ctx.drawImage(video, 0, 0, size.w, size.h);
  }, 1000 / LOW_CAMERA.frameRate);
  const stream = canvas.captureStream(LOW_CAMERA.frameRate);
  return {
    stream,
    stop: () => {
      clearInterval(timer);
      video.srcObject = null;
      for (const t of stream.getTracks()) t.stop();
    },
  };
}

/**
 * The studio's periodic JPEGs, each sent every ~5 s with `PUT
 * /api/rooms/:id/<path>` (Bearer key): the directory thumbnail (`snapshot`:
 * the whiteboard canvas with the camera as a picture-in-picture), and for
 * viewers that take no video the board during a screen share
 * (`board-snapshot`) and the camera (`camera-snapshot`), each removed with
 * `DELETE` when it ends (`startSnapshotFeed`). The timer, fetch and the
 * capture are injected, so the loop is tested without a DOM; the `capture*`
 * functions are the DOM part.
 */
import { fitInside } from "../slides/renditions.ts";

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Thumbnail size: 16:9, small enough to stay far below the server's 256 KiB. */
export const THUMB_WIDTH = 480;
export const THUMB_HEIGHT = 270;

/**
 * Where each source goes on a `width`×`height` thumbnail: the board fills it
 * (letterboxed), the camera sits bottom right at a third of the width; with
 * no board the camera fills it. Sizes are the sources' own (0 when absent).
 */
export function snapshotLayout(
  width: number,
  height: number,
  board: { w: number; h: number } | null,
  camera: { w: number; h: number } | null,
): { board: Rect | null; camera: Rect | null } {
  const usable = (s: { w: number; h: number } | null) => s !== null && s.w > 0 && s.h > 0;
  const fit = (s: { w: number; h: number }, box: Rect): Rect => {
    const scale = Math.min(box.w / s.w, box.h / s.h);
    const w = Math.round(s.w * scale), h = Math.round(s.h * scale);
    return { x: box.x + Math.round((box.w - w) / 2), y: box.y + Math.round((box.h - h) / 2), w, h };
  };
  const full = { x: 0, y: 0, w: width, h: height };
  if (!usable(board)) return { board: null, camera: usable(camera) ? fit(camera!, full) : null };
  if (!usable(camera)) return { board: fit(board!, full), camera: null };
  const margin = Math.round(width / 40);
  const w = Math.round(width / 3);
  const h = Math.round((w * camera!.h) / camera!.w);
  return {
    board: fit(board!, full),
    camera: { x: width - w - margin, y: height - h - margin, w, h },
  };
}

/** Draws the board and camera into `canvas` and encodes a JPEG; null when nothing to show. */
export function captureJpeg(
  canvas: HTMLCanvasElement,
  board: HTMLCanvasElement | null,
  camera: HTMLVideoElement | null,
  quality = 0.7,
): Promise<Blob | null> {
  canvas.width = THUMB_WIDTH;
  canvas.height = THUMB_HEIGHT;
  const ctx = canvas.getContext("2d");
  const cam = camera && camera.readyState >= 2
    ? { w: camera.videoWidth, h: camera.videoHeight }
    : null;
  const layout = snapshotLayout(
    THUMB_WIDTH,
    THUMB_HEIGHT,
    board ? { w: board.width, h: board.height } : null,
    cam,
  );
  if (!ctx || (!layout.board && !layout.camera)) return Promise.resolve(null);
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, THUMB_WIDTH, THUMB_HEIGHT);
  if (layout.board) {
    const r = layout.board;
    ctx.drawImage(board!, r.x, r.y, r.w, r.h);
  }
  if (layout.camera) {
    const r = layout.camera;
    ctx.drawImage(camera!, r.x, r.y, r.w, r.h);
    if (layout.board) {
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 2;
      ctx.strokeRect(r.x, r.y, r.w, r.h);
    }
  }
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob), "image/jpeg", quality));
}

/** Board snapshots during screen share: big enough to read, small enough for a slow link. */
export const BOARD_SNAPSHOT = { w: 1024, h: 576 } as const;
/** Camera snapshots for the `low` profile: a face, not a picture, every 5 s on a slow link. */
export const CAMERA_SNAPSHOT = { w: 320, h: 240 } as const;

/**
 * One source alone (the board of a screen share, the camera) as a JPEG
 * scaled to fit `box`, for viewers that cannot take its video; null while
 * the source has no picture.
 */
export function captureScaledJpeg(
  canvas: HTMLCanvasElement,
  source: HTMLCanvasElement | HTMLVideoElement | null,
  box: { w: number; h: number },
  quality = 0.6,
): Promise<Blob | null> {
  if (!source) return Promise.resolve(null);
  const video = source instanceof HTMLVideoElement;
  if (video && source.readyState < 2) return Promise.resolve(null);
  const w = video ? source.videoWidth : source.width;
  const h = video ? source.videoHeight : source.height;
  const ctx = canvas.getContext("2d");
  if (!ctx || w === 0 || h === 0) return Promise.resolve(null);
  const size = fitInside({ w, h }, box);
  canvas.width = size.w;
  canvas.height = size.h;
  ctx.drawImage(source, 0, 0, size.w, size.h);
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob), "image/jpeg", quality));
}

export interface SnapshotUploaderOptions {
  roomId: string;
  key: string;
  /** Makes the JPEG (e.g. `captureJpeg`); null skips this round. */
  capture: () => Promise<Blob | null>;
  fetch?: Fetch;
  /** Where under the room the JPEG goes: "snapshot" (the thumbnail), "board-snapshot", "camera-snapshot". */
  path?: string;
  intervalMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (id: unknown) => void;
}

/** Uploads a snapshot now and then every `intervalMs` until `stop()`. */
export class SnapshotUploader {
  /** Called after each attempt with the HTTP status, or 0 when the request failed. */
  onResult: (status: number) => void = () => {};
  readonly #o: Required<SnapshotUploaderOptions>;
  #timer: unknown = null;
  #busy = false;

  constructor(options: SnapshotUploaderOptions) {
    this.#o = {
      fetch: (input, init) => fetch(input, init),
      intervalMs: 5000,
      path: "snapshot",
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (id) => clearInterval(id as number),
      ...options,
    };
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = this.#o.setInterval(() => void this.uploadOnce(), this.#o.intervalMs);
    void this.uploadOnce();
  }

  stop(): void {
    if (this.#timer !== null) this.#o.clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One capture and upload; skipped while the previous one is still going. */
  async uploadOnce(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const blob = await this.#o.capture();
      if (!blob) return;
      const res = await this.#o.fetch(
        `/api/rooms/${encodeURIComponent(this.#o.roomId)}/${this.#o.path}`,
        {
          method: "PUT",
          headers: { "content-type": "image/jpeg", authorization: `Bearer ${this.#o.key}` },
          body: blob,
        },
      );
      await res.body?.cancel();
      this.onResult(res.status);
      // The room is gone or the key no longer fits: uploading again cannot help.
      if (res.status === 401 || res.status === 404) this.stop();
    } catch {
      this.onResult(0);
    } finally {
      this.#busy = false;
    }
  }
}

/**
 * Uploads a snapshot for viewers (`board-snapshot`, `camera-snapshot`) every
 * ~5 s from now; the returned function stops and removes it (`DELETE`), so
 * viewers hear at once that it ended.
 */
export function startSnapshotFeed(options: SnapshotUploaderOptions & { path: string }): () => void {
  const uploader = new SnapshotUploader(options);
  uploader.start();
  return () => {
    uploader.stop();
    const send = options.fetch ?? ((input, init) => fetch(input, init));
    send(`/api/rooms/${encodeURIComponent(options.roomId)}/${options.path}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${options.key}` },
    }).then((res) => res.body?.cancel(), () => {});
  };
}

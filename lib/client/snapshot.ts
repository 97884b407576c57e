/**
 * The studio's thumbnail for the directory: every ~5 s while live, the
 * whiteboard canvas with the camera as a picture-in-picture, drawn into one
 * small JPEG and sent with `PUT /api/rooms/:id/snapshot` (Bearer key). The
 * timer, fetch and the capture are injected, so the loop is tested without
 * a DOM; `captureJpeg()` is the DOM part.
 */

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
export const BOARD_SNAPSHOT_WIDTH = 1024;
export const BOARD_SNAPSHOT_HEIGHT = 576;

/**
 * The board alone (what viewers see of a screen share) as a JPEG of
 * BOARD_SNAPSHOT_WIDTH×HEIGHT, for viewers that cannot take the video.
 */
export function captureBoardJpeg(
  canvas: HTMLCanvasElement,
  board: HTMLCanvasElement | null,
  quality = 0.6,
): Promise<Blob | null> {
  if (!board) return Promise.resolve(null);
  canvas.width = BOARD_SNAPSHOT_WIDTH;
  canvas.height = BOARD_SNAPSHOT_HEIGHT;
  const ctx = canvas.getContext("2d");
  if (!ctx) return Promise.resolve(null);
  ctx.drawImage(board, 0, 0, BOARD_SNAPSHOT_WIDTH, BOARD_SNAPSHOT_HEIGHT);
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob), "image/jpeg", quality));
}

export interface SnapshotUploaderOptions {
  roomId: string;
  key: string;
  /** Makes the JPEG (e.g. `captureJpeg`); null skips this round. */
  capture: () => Promise<Blob | null>;
  fetch?: Fetch;
  /** Where under the room the JPEG goes: "snapshot" (the directory thumbnail) or "board-snapshot". */
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

/**
 * Keeps each room's whiteboard in the browser's storage, so a studio reload
 * (or a crashed tab) brings the drawing back with the room. Coordinates are
 * rounded to save space; a board past the size cap keeps its newest strokes.
 * Damaged or foreign data is ignored, never trusted.
 */
import type { Point, Stroke } from "./whiteboard.ts";

/** Stay well under the ~5 MB a browser gives one origin. */
export const MAX_BOARD_CHARS = 1_500_000;

const keyFor = (roomId: string) => `chalkcast.board.${roomId}`;

function isPoint(v: unknown): v is Point {
  const p = v as Point;
  return typeof p === "object" && p !== null && [p.x, p.y, p.p].every(Number.isFinite);
}

function isStroke(v: unknown): v is Stroke {
  const s = v as Stroke;
  return typeof s === "object" && s !== null && (s.tool === "pen" || s.tool === "eraser") &&
    typeof s.color === "string" && /^#[0-9a-f]{3,8}$/i.test(s.color) &&
    Number.isFinite(s.width) && s.width > 0 && s.width <= 256 &&
    Array.isArray(s.points) && s.points.length > 0 && s.points.every(isPoint);
}

/** The strokes in `json`, or null when it is not a saved board. */
export function parseBoard(json: string | null): Stroke[] | null {
  if (json === null) return null;
  try {
    const data = JSON.parse(json);
    return Array.isArray(data) && data.every(isStroke) ? data : null;
  } catch {
    return null;
  }
}

/** The JSON to store: rounded points, the oldest strokes dropped past `maxChars`. */
export function encodeBoard(strokes: readonly Stroke[], maxChars = MAX_BOARD_CHARS): string {
  const round = (n: number, step: number) => Math.round(n / step) * step;
  const compact = strokes.map((s) => ({
    ...s,
    points: s.points.map((p) => ({ x: round(p.x, 0.5), y: round(p.y, 0.5), p: round(p.p, 0.05) })),
  }));
  let json = JSON.stringify(compact);
  while (json.length > maxChars && compact.length > 0) {
    compact.splice(0, Math.max(1, Math.ceil(compact.length / 10)));
    json = JSON.stringify(compact);
  }
  return json;
}

export function loadBoard(storage: Storage, roomId: string): Stroke[] {
  return parseBoard(storage.getItem(keyFor(roomId))) ?? [];
}

/** Saves the board; a full storage only costs the saved copy, never the drawing. */
export function saveBoard(storage: Storage, roomId: string, strokes: readonly Stroke[]): void {
  try {
    if (strokes.length === 0) storage.removeItem(keyFor(roomId));
    else storage.setItem(keyFor(roomId), encodeBoard(strokes));
  } catch {
    // QuotaExceededError: keep drawing; the board just will not survive a reload.
  }
}

/**
 * The sizes a slide page is stored in, one per bandwidth profile (800×600 for
 * ultra-low … 1920×1080 for high), and the geometry both sides share: the
 * studio fits each page inside every box keeping its aspect, the server checks
 * an upload fits its box, a viewer picks the smallest image that still fills
 * its element. Pure.
 */

export interface Box {
  w: number;
  h: number;
}

/** Rendition boxes, smallest first; their names ("800x600") appear in upload URLs. */
export const RENDITION_BOXES: readonly Box[] = [
  { w: 800, h: 600 },
  { w: 1024, h: 768 },
  { w: 1280, h: 720 },
  { w: 1920, h: 1080 },
];

export const boxName = (box: Box): string => `${box.w}x${box.h}`;

/** The box named `name` ("1280x720"), or undefined. */
export function boxNamed(name: string): Box | undefined {
  return RENDITION_BOXES.find((b) => boxName(b) === name);
}

/** The largest size of `source`'s aspect that fits inside `box` (whole pixels, at least 1). */
export function fitInside(source: Box, box: Box): Box {
  const scale = Math.min(box.w / source.w, box.h / source.h);
  return {
    w: Math.max(1, Math.min(box.w, Math.round(source.w * scale))),
    h: Math.max(1, Math.min(box.h, Math.round(source.h * scale))),
  };
}

/**
 * The image to show in a `target` area (device pixels): the smallest whose
 * size fitted into the area is not upscaled, else the largest. Renditions
 * of one page share an aspect, so width decides.
 */
export function pickRendition<T extends Box>(renditions: readonly T[], target: Box): T | undefined {
  if (renditions.length === 0) return undefined;
  const sorted = [...renditions].sort((a, b) => a.w - b.w);
  const need = fitInside(sorted[sorted.length - 1], target).w;
  return sorted.find((r) => r.w >= need) ?? sorted[sorted.length - 1];
}

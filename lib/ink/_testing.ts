/** Strokes for tests and the ink benchmark. */
import type { InkPoint } from "./ink_codec.ts";

/** A hand-drawn-like stroke: a curve sampled at 60 Hz for `seconds`, pressure varying a little. */
export function typicalStroke(seconds = 1, seed = 1): InkPoint[] {
  const points: InkPoint[] = [];
  const n = Math.round(60 * seconds);
  for (let i = 0; i < n; i++) {
    const t = i / n;
    points.push({
      x: 300 + 400 * t + 30 * Math.sin(t * 7 + seed),
      y: 200 + 120 * Math.sin(t * 3 + seed) + 0.37 * i,
      p: 0.5 + 0.2 * Math.sin(t * 5),
    });
  }
  return points;
}

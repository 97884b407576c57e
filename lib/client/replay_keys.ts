/**
 * Keyboard shortcuts of the replay: space plays or pauses, ← and → step 5 s
 * back and forward, Home and End go to the ends. Keys typed into a form field
 * are left alone.
 */
export type KeyAction =
  | { kind: "toggle" }
  | { kind: "seek-by"; ms: number }
  | { kind: "seek-to"; where: "start" | "end" };

export const STEP_MS = 5000;

/** What has the focus: the page, the seek bar, a button, or a field that takes text. */
export type KeyTarget = "page" | "seek-bar" | "button" | "field";

/** The kind of focus target for a DOM element's tag and type. */
export function keyTarget(tag: string, type = ""): KeyTarget {
  if (/^input$/i.test(tag)) return type === "range" ? "seek-bar" : "field";
  if (/^(textarea|select)$/i.test(tag)) return "field";
  if (/^button$/i.test(tag)) return "button";
  return "page";
}

/**
 * The action for a key, or null. The seek bar's own arrow keys are taken over
 * (5 s steps, not the range's tiny step); a button keeps space for its click.
 */
export function keyAction(key: string, target: KeyTarget = "page"): KeyAction | null {
  if (target === "field") return null;
  if (target === "button" && (key === " " || key === "Enter")) return null;
  switch (key) {
    case " ":
    case "Spacebar":
    case "k":
      return { kind: "toggle" };
    case "ArrowLeft":
    case "j":
      return { kind: "seek-by", ms: -STEP_MS };
    case "ArrowRight":
    case "l":
      return { kind: "seek-by", ms: STEP_MS };
    case "Home":
      return { kind: "seek-to", where: "start" };
    case "End":
      return { kind: "seek-to", where: "end" };
    default:
      return null;
  }
}

/** Playback speeds offered, slowest first. */
export const SPEEDS: readonly number[] = [0.75, 1, 1.25, 1.5, 1.75, 2];

/** Clamps a requested speed to the offered range. */
export function clampSpeed(rate: number): number {
  if (!Number.isFinite(rate)) return 1;
  return Math.min(SPEEDS[SPEEDS.length - 1], Math.max(SPEEDS[0], rate));
}

/**
 * When the camera's still may be fetched after a change of profile. A step
 * down means the link just fell: the still (up to ~16 KB) would go out at
 * once on it and hold up the voice's next frames behind it, at the moment
 * the voice's buffer is lowest (a burst of ~3 KB delayed them ~1.5 s at
 * 64 kbit/s, docs/profiles.md). So after a step down to a profile that shows
 * the still, the first one waits until the voice has had time to settle;
 * a start or a step up shows it at once. Pure.
 */
import { PROFILE_NAMES, type ProfileName, PROFILES } from "./profiles.ts";

/** How long the first still waits after a step down, ms. */
export const STILL_AFTER_STEP_DOWN_MS = 4000;

/** Ms to wait before the first still when the profile goes from `from` to `to` (0: at once). */
export function stillDelayMs(from: ProfileName, to: ProfileName): number {
  const down = PROFILE_NAMES.indexOf(to) < PROFILE_NAMES.indexOf(from);
  return down && PROFILES[to].camera === "snapshot" ? STILL_AFTER_STEP_DOWN_MS : 0;
}

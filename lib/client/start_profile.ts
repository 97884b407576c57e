/**
 * The profile a viewer starts on, before anything is measured: the only
 * input is `navigator.connection.downlink`, the browser's rough guess (a hint;
 * Firefox has none). Pure.
 *
 * On a slow hint the start is careful: the highest profile whose need, with
 * headroom, fits the hint, so a 2G student hears the voice at once and the
 * lane never floods the link. Above the bound between medium and high
 * the hint is no measurement: unemulated, Chromium says 1.5 Mbit/s ("4g")
 * before it has timed anything, just under high's assumed need with headroom
 * (~1.7 Mbit/s with the studio's default bitrates). Starting there on medium
 * cost every fast viewer a camera-low lane, a probe and a second lane before
 * its video (and sometimes showed camera-low first), so a fast hint starts
 * where the policy would stay: the highest profile whose need the hint does
 * not count as trouble (profile_policy.ts `hintShare`). Where the link is
 * slower than it says, the policy steps down within seconds.
 */
import { PROFILE_NAMES, type ProfileName } from "./profiles.ts";

/** A downlink hint under this is a slow link (the bound between medium and high). */
export const SLOW_HINT_BPS = 256_000;

export interface StartInput {
  /** The downlink hint, bits per second; null: the browser has none. */
  hintBps: number | null;
  /** Bits per second each profile needs (profiles.ts profileNeed). */
  needs: Readonly<Record<ProfileName, number>>;
  /** A slow hint must exceed a profile's need by this factor. */
  headroom: number;
  /** A hint under this share of a profile's need is trouble (the policy steps down). */
  hintShare: number;
}

/** The profile to start on: voice alone without a hint, more as far as the hint allows. */
export function startProfile({ hintBps, needs, headroom, hintShare }: StartInput): ProfileName {
  if (hintBps === null) return "ultra-low"; // nothing known: voice first, the probe decides
  const factor = hintBps < SLOW_HINT_BPS ? headroom : hintShare;
  let best: ProfileName = "ultra-low";
  for (const p of PROFILE_NAMES) {
    if (needs[p] * factor > hintBps) break;
    best = p;
  }
  return best;
}

import assert from "node:assert/strict";
import { startProfile } from "./start_profile.ts";
import {
  DEFAULT_BITRATES,
  PROFILE_NAMES,
  type ProfileName,
  profileNeed,
  PROFILES,
} from "./profiles.ts";
import { POLICY_DEFAULTS } from "./profile_policy.ts";

/** The needs before any `stats`: the studio's default bitrates (high ≈ 1.53 Mbit/s). */
const NEEDS = Object.fromEntries(
  PROFILE_NAMES.map((
    p,
  ) => [p, profileNeed(PROFILES[p], new Map(Object.entries(DEFAULT_BITRATES)))]),
) as Record<ProfileName, number>;
const start = (hintBps: number | null, needs = NEEDS) =>
  startProfile({ hintBps, needs, ...POLICY_DEFAULTS });

Deno.test("start profile: no hint starts on the voice alone; the probe decides", () => {
  assert.equal(start(null), "ultra-low");
});

Deno.test("start profile: a slow hint must fit the profile with headroom", () => {
  // Chromium's emulated 32 and 64 kbit/s both say 0.05 Mbit/s: low (48 kbit/s × 1.1) does not fit.
  assert.equal(start(50_000), "ultra-low");
  assert.equal(start(64_000), "low");
  assert.equal(start(200_000), "medium"); // 150 kbit/s × 1.1
  assert.equal(start(255_000), "medium");
});

Deno.test("start profile: a fast hint starts where the policy would stay, not one lane short", () => {
  // Chromium's unemulated guess, under high's need × 1.1 (1.68 Mbit/s) but no trouble for it.
  assert.ok(1_500_000 < NEEDS.high * POLICY_DEFAULTS.headroom);
  assert.equal(start(1_500_000), "high");
  assert.equal(start(2_000_000), "high");
  assert.equal(start(10_000_000), "high");
  // 400 kbit/s: high (1.53 Mbit/s) would be trouble at once (under half its need); medium is not.
  assert.equal(start(400_000), "medium");
  // What the room publishes counts: without a camera, high needs only the whiteboard.
  assert.equal(start(300_000, { ...NEEDS, high: 330_000 }), "high");
});

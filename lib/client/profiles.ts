/**
 * The viewer's bandwidth profiles (docs/profiles.md): what each one receives
 * and shows, from voice alone (`ultra-low`) to everything (`high`). Voice
 * always travels on the main socket; video travels on the lane, a second
 * socket the viewer can drop at once (see COORDINATION "Why lanes"). Each
 * profile's need is the sum of its tracks' bitrates as the server's `stats`
 * report them. Pure.
 */
import type { LiveEdgeOptions } from "./live_edge.ts";
import type { Box } from "../slides/renditions.ts";

export const PROFILE_NAMES = ["ultra-low", "low", "medium", "high"] as const;
export type ProfileName = typeof PROFILE_NAMES[number];

/** What shows in the camera's place. */
export type CameraSlot = "none" | "snapshot" | "camera-low" | "camera";

export interface Profile {
  name: ProfileName;
  /** Tracks on the main socket (voice, never dropped at a switch). */
  main: readonly string[];
  /** Tracks on the lane socket; none: no lane. */
  lane: readonly string[];
  camera: CameraSlot;
  /** True when the board is drawn from slides and ink (data), not the whiteboard video. */
  boardAsData: boolean;
  /** Largest slide rendition to fetch. */
  slideBox: Box;
  /**
   * Live-edge tuning of the voice: deeper on poor links, to ride out a shared
   * link; fast catch-up (1.25×, audible) only well above the target.
   */
  voiceEdge: LiveEdgeOptions;
  /** Average bits per second of extras that are not tracks (camera snapshots). */
  extraBps: number;
}

/** A camera snapshot (≤ 320×240 JPEG, quality ~0.6, up to about 16 KB) every 5 s. */
const SNAPSHOT_BPS = (16_000 * 8) / 5;

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  "ultra-low": {
    name: "ultra-low",
    main: ["audio"],
    lane: [],
    camera: "none",
    boardAsData: true,
    slideBox: { w: 800, h: 600 },
    voiceEdge: {
      targetS: 1,
      landingS: 1.3,
      fastAboveS: 2.5,
      maxLagS: 5,
      stallMs: 1500,
      fillRate: 0.9,
      prerollS: 1,
    },
    extraBps: 0,
  },
  low: {
    name: "low",
    main: ["audio"],
    lane: [],
    camera: "snapshot",
    boardAsData: true,
    slideBox: { w: 1024, h: 768 },
    voiceEdge: {
      targetS: 0.8,
      landingS: 1.1,
      fastAboveS: 2.2,
      maxLagS: 4.5,
      stallMs: 1200,
      fillRate: 0.9,
      prerollS: 0.8,
    },
    extraBps: SNAPSHOT_BPS,
  },
  medium: {
    name: "medium",
    main: ["audio"],
    lane: ["camera-low"],
    camera: "camera-low",
    boardAsData: true,
    slideBox: { w: 1280, h: 720 },
    voiceEdge: { targetS: 0.4, landingS: 0.6, fastAboveS: 1.4, maxLagS: 3, fillRate: 0.95 },
    extraBps: 0,
  },
  high: {
    name: "high",
    main: ["audio"],
    lane: ["camera", "whiteboard"],
    camera: "camera",
    boardAsData: false,
    slideBox: { w: 1920, h: 1080 },
    // A little deeper than a video's own sound (0.2 s): rides out the moment a link drops.
    voiceEdge: { targetS: 0.3, landingS: 0.45 },
    extraBps: 0,
  },
};

/**
 * The voice's live edge while it is the small encode (`audio-low`): a link
 * that cannot carry the full voice is one where a slide image or a probe
 * holds the voice up for a second or two, so the buffer is deeper (~1.5 s).
 * The server starts a sound track ~2 s back (lib/hub/track.ts), so that
 * buffer comes with the join, not by playing slow.
 */
export function voiceEdgeFor(profile: ProfileName, voice: string): LiveEdgeOptions {
  const edge = PROFILES[profile].voiceEdge;
  if (voice !== "audio-low") return edge;
  const deeper = (key: "targetS" | "landingS" | "fastAboveS" | "maxLagS" | "stallMs", v: number) =>
    Math.max(edge[key] ?? 0, v);
  return {
    ...edge,
    targetS: deeper("targetS", 1.5),
    landingS: deeper("landingS", 1.8),
    fastAboveS: deeper("fastAboveS", 3.5),
    maxLagS: deeper("maxLagS", 6),
    stallMs: deeper("stallMs", 1500),
  };
}

/** Bitrates to assume before `stats` said (the studio's encoder settings). */
export const DEFAULT_BITRATES: Readonly<Record<string, number>> = {
  audio: 24_000,
  "camera-low": 100_000,
  camera: 1_000_000,
  whiteboard: 250_000,
};

/** Framing, TCP/IP and ink on top of the media: a profile needs this much more. */
export const OVERHEAD = 1.2;

/**
 * Bits per second `profile` needs, from the tracks' bitrates (`stats`);
 * a track not live in the room costs nothing, one whose bitrate is unknown
 * costs its default.
 */
export function profileNeed(
  profile: Profile,
  bitrates: ReadonlyMap<string, number>,
  live: (track: string) => boolean = () => true,
): number {
  let bps = 0;
  for (const track of [...profile.main, ...profile.lane]) {
    if (!live(track)) continue;
    bps += bitrates.get(track) || DEFAULT_BITRATES[track] || 0;
  }
  return bps * OVERHEAD + profile.extraBps;
}

/** One step down or up, clamped to the table's ends. */
export function stepProfile(name: ProfileName, by: number): ProfileName {
  const i = PROFILE_NAMES.indexOf(name) + by;
  return PROFILE_NAMES[Math.max(0, Math.min(PROFILE_NAMES.length - 1, i))];
}

export function isProfileName(value: unknown): value is ProfileName {
  return PROFILE_NAMES.includes(value as ProfileName);
}

/** The profile a page URL's query asks for (`?profile=low`), or null (automatic). */
export function requestedProfile(search: string): ProfileName | null {
  const p = new URLSearchParams(search).get("profile");
  return isProfileName(p) ? p : null;
}

/** Keeps only the renditions a profile may fetch (each fits its box); the smallest if none does. */
export function cappedRenditions<T extends Box>(renditions: readonly T[], box: Box): T[] {
  const fit = renditions.filter((r) => r.w <= box.w && r.h <= box.h);
  if (fit.length > 0) return fit;
  const smallest = [...renditions].sort((a, b) => a.w - b.w)[0];
  return smallest ? [smallest] : [];
}

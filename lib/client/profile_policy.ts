/**
 * Picks the viewer's profile (profiles.ts) from what it measures: steps down
 * within a few seconds of sustained trouble, probes the link after sustained
 * calm and steps up when a probe shows headroom, and leaves everything to the
 * viewer once it picks a profile by hand. Pure: the caller feeds samples,
 * probe results and `navigator.connection` hints with the time, runs the
 * probes it is told to, and applies the profile.
 *
 * Trouble is any of: the voice arriving late against real time (the link
 * cannot even carry it in time), the lane's media arriving well under the
 * bitrate the publisher sends (the lane has fallen behind: Chromium and slow
 * links queue megabytes before the server sees backpressure, so the client's
 * own arrival rate says it first), the server reporting skips or a backlog
 * for the lane, or the browser's downlink hint far under the profile's need.
 *
 * Flapping is held off by bans: a profile stepped down from soon after it was
 * reached is not tried again for a while, twice as long each time; a rising
 * downlink hint lifts the bans (the network changed).
 *
 * The voice has two encodes (`audio`, 24 kbit/s, and `audio-low`, 12
 * kbit/s), and which one plays follows the link, not the profile. The first
 * hello takes the small one where the downlink hint is under
 * `voiceLowHintBps`: nothing is measured yet, and Chromium's hint comes in
 * steps of 50 kbit/s (its emulated 32 and 64 kbit/s both say 0.05 Mbit/s), so
 * "0.05" may be a link that cannot carry the full voice. Later the voice goes
 * small only on measurements: a probe under `voiceLowBps`, or the voice
 * arriving late while there is nothing left to drop (ultra-low); not on a
 * falling hint, which cannot tell 32 from 64 kbit/s and whose step down
 * (e.g. 2 Mbit/s → 0.05) already drops the video. The full voice comes back
 * once a hint or a probe says `voiceUpBps` (a voice that went small for
 * being late waits `voiceHoldMs` for that, unless the hint rises).
 */
import { PROFILE_NAMES, type ProfileName, stepProfile } from "./profiles.ts";
import { SLOW_HINT_BPS, startProfile } from "./start_profile.ts";

export interface PolicyOptions {
  /** Trouble for this long steps down, ms. */
  downAfterMs?: number;
  /** After a switch, give the link this long before judging again, ms. */
  settleMs?: number;
  /** No trouble for this long before probing, ms. */
  calmMs?: number;
  /** A probe's estimate must exceed a profile's need by this factor to step up. */
  headroom?: number;
  /** First pause between probes, ms; doubles while probes show no headroom… */
  probeEveryMs?: number;
  /** …up to this, ms. */
  probeMaxEveryMs?: number;
  /** A probe lasts about this long at the estimated rate, s (small: it shares the link with voice). */
  probeSeconds?: number;
  minProbeBytes?: number;
  maxProbeBytes?: number;
  /** Voice this late against real time is trouble, ms. */
  voiceLateMs?: number;
  /** Lane arrival under this share of the lane's bitrate is trouble. */
  laneRatio?: number;
  /** Stepping down this soon after stepping up bans that profile… */
  failWindowMs?: number;
  /** …first for this long, ms, doubling… */
  banMs?: number;
  /** …up to this, ms. */
  banMaxMs?: number;
  /**
   * A downlink hint under this share of the profile's need is trouble (a hint
   * only: outside emulation it is the browser's rough guess).
   */
  hintShare?: number;
  /** A downlink hint under this at the start takes `audio-low`, bits per second… */
  voiceLowHintBps?: number;
  /** …and so does a probe's estimate under this… */
  voiceLowBps?: number;
  /** …or voice late at ultra-low for this long, ms. */
  voiceLowAfterMs?: number;
  /** A hint or estimate of at least this takes `audio` again, bits per second… */
  voiceUpBps?: number;
  /** …but not within this long of the voice going small for being late, ms. */
  voiceHoldMs?: number;
}

export const POLICY_DEFAULTS: Required<PolicyOptions> = {
  downAfterMs: 1500,
  settleMs: 2000,
  calmMs: 2000,
  headroom: 1.1,
  probeEveryMs: 2000,
  probeMaxEveryMs: 30_000,
  probeSeconds: 0.25,
  minProbeBytes: 4096,
  maxProbeBytes: 262_144,
  voiceLateMs: 1500,
  laneRatio: 0.6,
  failWindowMs: 15_000,
  banMs: 8000,
  banMaxMs: 120_000,
  hintShare: 0.5,
  // A 24 kbit/s voice needs ~29 kbit/s with framing; Chromium's emulated 32 kbit/s carries ~21.
  voiceLowHintBps: 75_000,
  voiceLowBps: 40_000,
  voiceLowAfterMs: 3000,
  voiceUpBps: 64_000,
  voiceHoldMs: 30_000,
};

/** The voice's two encodes: the full one, and the small one for the slowest links. */
export const VOICE_TRACKS = ["audio", "audio-low"] as const;
export type VoiceTrack = typeof VOICE_TRACKS[number];

/** True for a track that carries the voice (either encode). */
export function isVoiceTrack(track: string): track is VoiceTrack {
  return VOICE_TRACKS.includes(track as VoiceTrack);
}

/** What the viewer measured just now. */
export interface PolicySample {
  now: number;
  /** How late the newest voice is against real time, ms (arrival_meter.ts); null: no voice. */
  voiceLateMs: number | null;
  /** Lane arrival rate ÷ the lane tracks' bitrate; null: no lane, or too early to tell. */
  laneRatio: number | null;
  /** Bits per second arriving over the sockets (main and lane). */
  goodputBps: number;
  /** The server reports skips or a backlog for this viewer (`stats.delivery`). */
  serverBacklog: boolean;
}

/** A finished probe: its own throughput, and what media arrived meanwhile. */
export interface ProbeResult {
  probeBps: number;
  mediaBps: number;
}

export type Mode = "auto" | "manual";

const rank = (p: ProfileName) => PROFILE_NAMES.indexOf(p);

export class ProfilePolicy {
  readonly #o: Required<PolicyOptions>;
  #profile: ProfileName;
  #manual: boolean;
  #needs: Record<ProfileName, number>;
  /** Bits per second the link is believed to carry; null before anything said. */
  #estimate: number | null = null;
  #hint: number | null;
  #troubleSince: number | null = null;
  #lastTrouble = -Infinity;
  #lastSwitch = -Infinity;
  #lastUp = -Infinity;
  #probeEvery: number;
  #nextProbe: number;
  #probing = false;
  #lastProbe: number;
  #bans = new Map<ProfileName, { until: number; ms: number }>();
  #voice: VoiceTrack;
  #voiceLateSince: number | null = null;
  #voiceSwitch = -Infinity;
  #voiceHeldUntil = -Infinity;

  constructor(init: {
    now: number;
    /** Bits per second each profile needs (profiles.ts profileNeed). */
    needs: Record<ProfileName, number>;
    /** A profile picked by hand (`?profile=`), or null: automatic. */
    manual?: ProfileName | null;
    /** `navigator.connection.downlink` in bits per second, when the browser has it. */
    hintBps?: number | null;
    options?: PolicyOptions;
  }) {
    this.#o = { ...POLICY_DEFAULTS, ...init.options };
    this.#needs = { ...init.needs };
    this.#hint = init.hintBps ?? null;
    this.#manual = Boolean(init.manual);
    // Voice at once; more where the hint allows (start_profile.ts), until a probe tells.
    this.#profile = init.manual ??
      startProfile({ hintBps: this.#hint, needs: this.#needs, ...this.#o });
    // The first hello already asks for the voice the link carries.
    this.#voice = this.#hint !== null && this.#hint < this.#o.voiceLowHintBps
      ? "audio-low"
      : "audio";
    this.#probeEvery = this.#o.probeEveryMs;
    this.#nextProbe = init.now;
    this.#lastProbe = init.now;
  }

  get profile(): ProfileName {
    return this.#profile;
  }

  get mode(): Mode {
    return this.#manual ? "manual" : "auto";
  }

  /** The voice encode to receive. */
  get voice(): VoiceTrack {
    return this.#voice;
  }

  /** The link's estimated rate, bits per second; null before a probe or trouble said. */
  get estimateBps(): number | null {
    return this.#estimate;
  }

  /** New needs, e.g. from a `stats` message's bitrates. */
  setNeeds(needs: Record<ProfileName, number>): void {
    this.#needs = { ...needs };
  }

  /** Picks a profile by hand (null: back to automatic). Returns the profile in effect. */
  override(profile: ProfileName | null, now: number): ProfileName {
    this.#manual = profile !== null;
    if (profile) this.#switch(profile, now);
    else {
      this.#troubleSince = null;
      this.#probeEvery = this.#o.probeEveryMs;
      this.#nextProbe = now;
    }
    return this.#profile;
  }

  /**
   * The browser's downlink hint changed (bits per second, null: none).
   * Returns the profile in effect: a hint that fell far under the need steps
   * down at once (the link changed; waiting for the lane to starve would let
   * it starve the voice too).
   */
  hint(bps: number | null, now: number): ProfileName {
    const before = this.#hint;
    this.#hint = bps;
    if (bps !== null && (before === null || bps > before * 1.5)) {
      // The network changed for the better: forget the bans, probe now.
      this.#bans.clear();
      this.#probeEvery = this.#o.probeEveryMs;
      this.#nextProbe = now;
      this.#voiceHeldUntil = -Infinity;
    }
    if (bps !== null) this.#voiceUp(bps, now);
    if (
      !this.#manual && bps !== null && this.#profile !== "ultra-low" &&
      bps < this.#needs[this.#profile] * this.#o.hintShare
    ) {
      this.#lastTrouble = now;
      this.#stepDown(now, bps);
    }
    return this.#profile;
  }

  /** Feeds a measurement; returns the profile in effect (maybe a lower one). */
  sample(s: PolicySample): ProfileName {
    const o = this.#o;
    this.#voiceLate(s);
    if (this.#manual) return this.#profile;
    const trouble = (s.voiceLateMs !== null && s.voiceLateMs > o.voiceLateMs) ||
      (s.laneRatio !== null && s.laneRatio < o.laneRatio) || s.serverBacklog ||
      (this.#hint !== null && this.#hint < this.#needs[this.#profile] * o.hintShare);
    if (!trouble) {
      this.#troubleSince = null;
      return this.#profile;
    }
    this.#lastTrouble = s.now;
    this.#troubleSince ??= s.now;
    const settled = s.now - this.#lastSwitch >= o.settleMs;
    if (
      this.#profile !== "ultra-low" && settled && s.now - this.#troubleSince >= o.downAfterMs
    ) {
      // What arrived while in trouble is about what the link carries.
      this.#stepDown(s.now, Math.min(s.goodputBps, this.#hint ?? Infinity));
    }
    return this.#profile;
  }

  /**
   * Bytes to probe now, or 0: probes run while automatic, below the top, calm,
   * one at a time. Call `probed()` with the outcome.
   */
  probeBytes(now: number): number {
    const o = this.#o;
    if (
      this.#manual || this.#probing || this.#profile === "high" || now < this.#nextProbe ||
      now - this.#lastTrouble < o.calmMs || this.#banned(stepProfile(this.#profile, 1), now)
    ) return 0;
    // Where the downlink hint says the link is slow and the next profile does not fit, probe
    // only now and then (each probe takes from the voice's share of a slow link); a rising
    // hint probes at once. (Unemulated, Chromium's hint is a rough guess of 1–10 Mbit/s.)
    const next = this.#needs[stepProfile(this.#profile, 1)] * o.headroom;
    const slow = this.#hint !== null && this.#hint < Math.min(next, SLOW_HINT_BPS);
    if (slow && now - this.#lastProbe < o.probeMaxEveryMs) return 0;
    this.#lastProbe = now;
    this.#probing = true;
    // Sized to the estimate; a higher downlink hint may grow it up to four times per probe.
    const estimate = this.#estimate ?? 64_000;
    const rate = Math.max(estimate, Math.min(this.#hint ?? 0, estimate * 4));
    const bytes = Math.round((rate / 8) * o.probeSeconds);
    return Math.max(o.minProbeBytes, Math.min(o.maxProbeBytes, bytes));
  }

  /** A probe finished (null: it failed). Returns the profile in effect (maybe a higher one). */
  probed(result: ProbeResult | null, now: number): ProfileName {
    this.#probing = false;
    const o = this.#o;
    if (result) {
      this.#estimate = result.probeBps + result.mediaBps;
      if (this.#estimate < o.voiceLowBps) this.#setVoice("audio-low", now);
      else this.#voiceUp(this.#estimate, now);
    }
    if (this.#manual) return this.#profile;
    const calm = now - this.#lastTrouble >= o.calmMs && now - this.#lastSwitch >= o.settleMs;
    const target = result && calm
      ? this.#fitting(this.#estimate!, o.headroom, this.#profile, now)
      : this.#profile;
    if (rank(target) > rank(this.#profile)) {
      this.#lastUp = now;
      this.#switch(target, now);
      this.#probeEvery = o.probeEveryMs;
    } else {
      this.#probeEvery = Math.min(this.#probeEvery * 2, o.probeMaxEveryMs);
    }
    this.#nextProbe = now + this.#probeEvery;
    return this.#profile;
  }

  /** Steps down at least one profile, to one that fits `carried` bits per second. */
  #stepDown(now: number, carried: number): void {
    const o = this.#o;
    const from = this.#profile;
    if (now - this.#lastUp < o.failWindowMs) {
      // It did not hold: do not try this one again soon.
      const prev = this.#bans.get(from);
      const ms = prev ? Math.min(prev.ms * 2, o.banMaxMs) : o.banMs;
      this.#bans.set(from, { until: now + ms, ms });
    }
    if (carried > 0) this.#estimate = carried;
    const below = PROFILE_NAMES[rank(from) - 1];
    const target = this.#fitting(carried, 1, "ultra-low", now);
    this.#switch(rank(target) < rank(below) ? target : below, now);
    this.#probeEvery = o.probeEveryMs;
    this.#nextProbe = now + o.calmMs;
  }

  /** The full voice again where the link (a hint or a probe) has room for it. */
  #voiceUp(bps: number, now: number): void {
    if (bps >= this.#o.voiceUpBps && now >= this.#voiceHeldUntil) this.#setVoice("audio", now);
  }

  /**
   * The full voice keeps arriving late with nothing left to drop (ultra-low,
   * settled): the link cannot carry it; the small one it may.
   */
  #voiceLate(s: PolicySample): void {
    const o = this.#o;
    const late = this.#voice === "audio" && this.#profile === "ultra-low" &&
      s.voiceLateMs !== null && s.voiceLateMs > o.voiceLateMs &&
      s.now - Math.max(this.#lastSwitch, this.#voiceSwitch) >= o.settleMs;
    if (!late) {
      this.#voiceLateSince = null;
      return;
    }
    this.#voiceLateSince ??= s.now;
    if (s.now - this.#voiceLateSince >= o.voiceLowAfterMs) {
      this.#setVoice("audio-low", s.now);
      this.#voiceHeldUntil = s.now + o.voiceHoldMs;
    }
  }

  #setVoice(voice: VoiceTrack, now: number): void {
    if (voice === this.#voice) return;
    this.#voice = voice;
    this.#voiceSwitch = now;
    this.#voiceLateSince = null;
  }

  #switch(profile: ProfileName, now: number): void {
    this.#profile = profile;
    this.#lastSwitch = now;
    this.#troubleSince = null;
  }

  #banned(profile: ProfileName, now: number): boolean {
    return (this.#bans.get(profile)?.until ?? -Infinity) > now;
  }

  /** The highest profile, not below `floor`, whose need × `factor` fits `bps` and is not banned. */
  #fitting(bps: number, factor: number, floor: ProfileName, now = -Infinity): ProfileName {
    let best = floor;
    for (const p of PROFILE_NAMES) {
      if (rank(p) <= rank(floor)) continue;
      if (this.#banned(p, now) || this.#needs[p] * factor > bps) break;
      best = p;
    }
    return best;
  }
}

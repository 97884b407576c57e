/**
 * Runs the viewer's automatic profile choice: measures (what arrives on the
 * sockets, how late the voice and the lane's video are, the server's
 * `stats`), asks the policy (profile_policy.ts) twice a second, runs the
 * probes it asks for, listens to `navigator.connection`, and says when the
 * profile changes. The island applies the change (lane, players, views).
 * Time, fetch and the connection are injected.
 */
import type { DeliveryStats, TrackHint } from "../protocol.ts";
import { ArrivalMeter } from "./arrival_meter.ts";
import { type Fetch, probe, tooFastToTime } from "./probe.ts";
import {
  isVoiceTrack,
  type Mode,
  type PolicyOptions,
  ProfilePolicy,
  type VoiceTrack,
} from "./profile_policy.ts";
import { PROFILE_NAMES, type ProfileName, profileNeed, PROFILES } from "./profiles.ts";
import { RateMeter } from "./rate_meter.ts";

/** The part of `navigator.connection` (Network Information API) used as a hint. */
export interface ConnectionLike extends EventTarget {
  /** Megabits per second, as the browser estimates (or emulates) it. */
  readonly downlink?: number;
}

export interface RunnerOptions {
  fetch: Fetch;
  now: () => number;
  connection?: ConnectionLike | null;
  /** A profile picked in the URL (`?profile=`): manual from the start. */
  manual?: ProfileName | null;
  everyMs?: number;
  policy?: PolicyOptions;
}

/** A lane is judged only this long after it opened, ms (connect, then a keyframe burst). */
const LANE_GRACE_MS = 3000;
/**
 * Lane video this late against real time backs up a low arrival rate as
 * trouble. Alone, a low rate is no proof: a publisher whose recorder stalls a
 * moment (a busy machine) sends less too, and the rate its `stats` report
 * trails behind. The whiteboard is not timed (its canvas recorder's clock
 * runs slow under load).
 */
const LANE_LATE_MS = 1500;
const TIMED_LANE_TRACKS = ["camera", "camera-low"];
/**
 * After a track's publisher resumes (`stats` no longer says `idleMs`), its
 * lateness is still not the link's for this long, ms: the meters start over
 * then, and the lane's rate window (2 s) refills.
 */
const RESUME_GRACE_MS = 3000;
/** The largest probe (the server's limit). */
const MAX_PROBE_BYTES = 262_144;
/** A lane's server-side backlog above this many bytes is trouble. */
const BACKLOG_BYTES = 256 * 1024;

export class ProfileRunner {
  /** The profile in effect or the mode changed. */
  onChange: (profile: ProfileName, mode: Mode) => void = () => {};
  /** The voice encode to receive changed (`audio` or `audio-low`). */
  onVoice: (voice: VoiceTrack) => void = () => {};
  /** A probe finished: the link's estimate it gave (probe plus media meanwhile), bits/s. */
  onProbe: (estimateBps: number) => void = () => {};
  readonly #o: RunnerOptions;
  readonly #policy: ProfilePolicy;
  readonly #bitrates = new Map<string, number>();
  /**
   * Tracks whose lateness the publisher explains: until when (Infinity while
   * `stats` says its publisher is idle, then a grace after it resumed).
   */
  readonly #excused = new Map<string, number>();
  #live: (track: string) => boolean = () => true;
  readonly #voice = new ArrivalMeter();
  readonly #video = new Map(TIMED_LANE_TRACKS.map((t) => [t, new ArrivalMeter()]));
  readonly #all = new RateMeter(3000);
  readonly #lane = new RateMeter(2000);
  #laneSince: number;
  #laneSkipped: number | null = null;
  #backlog = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #onConnection = () => this.#apply(() => this.#policy.hint(this.#hint(), this.#o.now()));

  constructor(options: RunnerOptions) {
    this.#o = options;
    this.#laneSince = options.now();
    this.#policy = new ProfilePolicy({
      now: options.now(),
      needs: this.#needs(),
      manual: options.manual,
      hintBps: this.#hint(),
      options: options.policy,
    });
  }

  get profile(): ProfileName {
    return this.#policy.profile;
  }

  get mode(): Mode {
    return this.#policy.mode;
  }

  /** The voice encode to receive. */
  get voice(): VoiceTrack {
    return this.#policy.voice;
  }

  start(): void {
    this.#o.connection?.addEventListener("change", this.#onConnection);
    this.#timer = setInterval(() => this.tick(), this.#o.everyMs ?? 500);
    // The first probe at once: on a good link it picks the profile before the lane opens.
    this.tick();
  }

  stop(): void {
    this.#o.connection?.removeEventListener("change", this.#onConnection);
    clearInterval(this.#timer);
  }

  /** Picks a profile by hand (null: automatic). */
  override(profile: ProfileName | null): void {
    this.#apply(() => this.#policy.override(profile, this.#o.now()));
  }

  /**
   * A media segment arrived: its size, its media time when known (not in pull
   * mode), and whether its track is one of the profile's lane tracks.
   */
  media(track: string, bytes: number, timestampMs: number | null, lane: boolean): void {
    const now = this.#o.now();
    this.#all.add(bytes, now);
    if (isVoiceTrack(track) && timestampMs !== null) this.#voice.add(timestampMs, now);
    if (timestampMs !== null) this.#video.get(track)?.add(timestampMs, now);
    if (lane) this.#lane.add(bytes, now);
  }

  /** A track's stream started over (new init): its media time restarts. */
  reinit(track: string): void {
    if (isVoiceTrack(track)) this.#voice.reset();
    this.#video.get(track)?.reset();
  }

  /** The lane (re)opened or changed tracks: judge it afresh, after a grace period. */
  laneChanged(): void {
    this.#laneSince = this.#o.now();
    for (const m of this.#video.values()) m.reset();
    this.#laneSkipped = null;
    this.#backlog = false;
  }

  /**
   * A `stats` message's tracks: the publisher's bitrates, and the tracks it
   * has sent nothing to for a while (`idleMs`). A publisher that stalls (a
   * busy laptop, its uplink) starves every viewer at once; that silence is
   * not trouble on this viewer's link, nor is the catch-up right after it.
   */
  bitrates(tracks: readonly TrackHint[]): void {
    const now = this.#o.now();
    for (const t of tracks) {
      this.#bitrates.set(t.name, t.bitrate);
      if (t.idleMs !== undefined) this.#excused.set(t.name, Infinity);
      else if (this.#excused.get(t.name) === Infinity) this.#resumed(t.name, now);
    }
    this.#policy.setNeeds(this.#needs());
  }

  /** `track`'s publisher delivers again: judge its arrival afresh, after a grace. */
  #resumed(track: string, now: number): void {
    this.#excused.set(track, now + RESUME_GRACE_MS);
    if (isVoiceTrack(track)) this.#voice.reset();
    this.#video.get(track)?.reset();
    if (PROFILES[this.#policy.profile].lane.includes(track)) this.#laneSince = now;
  }

  #isExcused(track: string, now: number): boolean {
    return (this.#excused.get(track) ?? 0) > now;
  }

  /** Which tracks the room publishes now (`state`). */
  live(live: (track: string) => boolean): void {
    this.#live = live;
    this.#policy.setNeeds(this.#needs());
  }

  /** The lane's `stats.delivery`: skips since the last one, or a big backlog, are trouble. */
  laneDelivery(d: DeliveryStats): void {
    const skipped = this.#laneSkipped !== null && d.skipped > this.#laneSkipped;
    this.#laneSkipped = d.skipped;
    this.#backlog = skipped || d.pendingBytes > BACKLOG_BYTES;
  }

  /** One step: measure, decide, probe. */
  tick(): void {
    const now = this.#o.now();
    this.#apply(() =>
      this.#policy.sample({
        now,
        voiceLateMs: this.#isExcused(this.#policy.voice, now) ? null : this.#voice.lateMs(now),
        laneRatio: this.#laneRatio(now),
        goodputBps: this.#all.bps(now),
        serverBacklog: this.#backlog,
      })
    );
    const bytes = this.#policy.probeBytes(now);
    if (bytes > 0) this.#probe(bytes);
  }

  async #probe(bytes: number): Promise<void> {
    const before = this.#all.total;
    const start = this.#o.now();
    let bps = await probe(bytes, { fetch: this.#o.fetch, now: this.#o.now });
    // Too quick to time (a fast link): at once again, eight times the size, up to the most.
    for (let size = bytes; bps !== null && size < MAX_PROBE_BYTES && tooFastToTime(size, bps);) {
      size = Math.min(MAX_PROBE_BYTES, size * 8);
      bps = await probe(size, { fetch: this.#o.fetch, now: this.#o.now });
    }
    const now = this.#o.now();
    const mediaBps = ((this.#all.total - before) * 8 * 1000) / Math.max(1, now - start);
    // Said before the decision, so a page shows the figure with the switch it caused.
    if (bps !== null) this.onProbe(bps + mediaBps);
    this.#apply(() => this.#policy.probed(bps === null ? null : { probeBps: bps, mediaBps }, now));
  }

  #apply(step: () => ProfileName): void {
    const before = [this.#policy.profile, this.#policy.mode].join();
    const voice = this.#policy.voice;
    step();
    if (this.#policy.voice !== voice) {
      this.#voice.reset(); // the other encode's media time is its own
      this.onVoice(this.#policy.voice);
    }
    if ([this.#policy.profile, this.#policy.mode].join() !== before) {
      this.laneChanged();
      this.onChange(this.#policy.profile, this.#policy.mode);
    }
  }

  #laneRatio(now: number): number | null {
    const lane = PROFILES[this.#policy.profile].lane.filter((t) => this.#live(t));
    if (lane.length === 0) return null;
    if (now - this.#laneSince < LANE_GRACE_MS) return null;
    // A stalled camera explains the lane; a whiteboard alone only if nothing else is in it (a still
    // canvas may send little).
    const excused = lane.filter((t) => this.#isExcused(t, now));
    if (excused.some((t) => this.#video.has(t)) || excused.length === lane.length) return null;
    // A timed track with no media yet is as late as the lane is old.
    const late = Math.max(
      0,
      ...lane.map((t) =>
        this.#video.has(t) ? this.#video.get(t)!.lateMs(now) ?? now - this.#laneSince : 0
      ),
    );
    const timed = lane.some((t) => this.#video.has(t));
    if (timed && late < LANE_LATE_MS) return null;
    const need = lane.reduce((n, t) => n + (this.#bitrates.get(t) ?? 0), 0);
    return need > 0 ? this.#lane.bps(now) / need : null;
  }

  #needs(): Record<ProfileName, number> {
    const needs = {} as Record<ProfileName, number>;
    for (const p of PROFILE_NAMES) needs[p] = profileNeed(PROFILES[p], this.#bitrates, this.#live);
    return needs;
  }

  #hint(): number | null {
    const d = this.#o.connection?.downlink;
    return typeof d === "number" && d > 0 ? d * 1e6 : null;
  }
}

/**
 * Feeds one `<video>` from init and media segments through Media Source
 * Extensions: one SourceBuffer in `segments` mode (muxed audio and video stay
 * in sync; `sequence` mode would drift), one append at a time from a queue,
 * trimming of played media, and live-edge control (live_edge.ts) on `tick()`.
 *
 * Every init segment re-creates the MediaSource: a presenter who reconnects
 * starts a new recorder whose timestamps restart, and a fresh MediaSource is
 * the one re-init every browser handles alike. After a drop (queue overflow)
 * or a decode error the player waits for the next keyframe segment.
 * `ManagedMediaSource` is used where `MediaSource` is missing (iOS Safari).
 * A stream without sound gets brisker live-edge tuning (`SILENT_EDGE`).
 *
 * `splice()` is the exception: another encode of the same sound (the voice
 * going from `audio` to `audio-low` and back) continues in the same
 * SourceBuffer, placed on the timeline by the shared clock, so the element
 * plays on without a restart.
 *
 * The init's `clockMs` (where media time 0 sits on the presenter's clock) is
 * kept for lip sync across players: `view()` reports the position, `tick()`
 * takes a shared live end and `follow()` steers toward another player's
 * place (see av_sync.ts and player_group.ts).
 */
import { type ClockedView, follow } from "./av_sync.ts";
import {
  type EdgeDecision,
  LIVE_EDGE_DEFAULTS,
  LiveEdge,
  type LiveEdgeOptions,
  type Range,
} from "./live_edge.ts";

/** The part of HTMLVideoElement the player uses. */
export interface VideoLike extends EventTarget {
  src: string;
  currentTime: number;
  playbackRate: number;
  disableRemotePlayback: boolean;
  readonly buffered: TimeRanges;
  readonly paused: boolean;
  play(): Promise<void>;
  pause(): void;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  load(): void;
}

/** Browser services, injectable for tests. */
export interface MseEnv {
  MediaSource: { new (): MediaSource; isTypeSupported(mime: string): boolean };
  createObjectURL(source: MediaSource): string;
  revokeObjectURL(url: string): void;
  now(): number;
}

/** The MediaSource constructor this browser has (ManagedMediaSource on iOS), or null. */
export function mediaSourceClass(): MseEnv["MediaSource"] | null {
  const g = globalThis as unknown as Record<string, MseEnv["MediaSource"] | undefined>;
  return g.MediaSource ?? g.ManagedMediaSource ?? null;
}

/**
 * Live-edge tuning for a stream without sound (e.g. the whiteboard): nobody
 * hears it play fast, so it catches up quicker and skips sooner.
 */
export const SILENT_EDGE: LiveEdgeOptions = { catchUpRate: 1.5, catchUpFastRate: 2, maxLagS: 1.5 };

/**
 * Live-edge tuning for a stream with sound (the camera): a little more buffer,
 * because a stall is heard as a gap while a few more ms of delay are not.
 */
export const AUDIBLE_EDGE: LiveEdgeOptions = { targetS: 0.2, landingS: 0.35 };

/** True when a MIME type's codecs (or its type) include sound. */
export function hasAudio(mime: string): boolean {
  return /^audio\/|opus|vorbis|mp4a|flac|aac|mp3/i.test(mime);
}

/** A follower trims played media like LiveEdge does: above this much behind the playhead… */
const TRIM_ABOVE_S = 8;
/** …down to this much. */
const KEEP_BEHIND_S = 3;

/** A retune while playing seeks only this far beyond the lag it found (see `tune()`), s. */
const SWITCH_LAG_SLACK_S = 0.5;

/** Queued bytes above which the player drops media and waits for a keyframe. */
const MAX_QUEUE_BYTES = 8 * 1024 * 1024;

export interface PlayerStats {
  appends: number;
  droppedSegments: number;
  resets: number;
  splices: number;
}

/** One video element fed by one track. */
export class MsePlayer {
  readonly stats: PlayerStats = { appends: 0, droppedSegments: 0, resets: 0, splices: 0 };
  /** Called when the browser refused to autoplay; call `resume()` from a user gesture. */
  onPlayBlocked: () => void = () => {};
  readonly #video: VideoLike;
  readonly #env: MseEnv;
  #edgeOptions: LiveEdgeOptions;
  #edge: LiveEdge;
  #ms: MediaSource | null = null;
  #sb: SourceBuffer | null = null;
  #url = "";
  #mime = "";
  #clockMs: number | null = null;
  /** Added to the init's clockMs: how far this stream's sound ran slow (server's `stats`). */
  #clockShiftMs = 0;
  #init: Uint8Array<ArrayBuffer> | null = null;
  /** The SourceBuffer's timestampOffset, s: where a spliced stream sits on the timeline. */
  #offsetS = 0;
  /** A splice waits to reset the parser and set the offset before its init is appended. */
  #spliced = false;
  #queue: Uint8Array<ArrayBuffer>[] = [];
  #queued = 0;
  #waitKey = false;
  #removeUpTo: number | null = null;
  #blocked = false;
  #starting = false;
  readonly #onError = () => this.#recover();

  constructor(video: VideoLike, env: MseEnv, edge: LiveEdgeOptions = {}) {
    this.#video = video;
    this.#env = env;
    this.#edgeOptions = edge;
    this.#edge = new LiveEdge(edge);
    video.addEventListener("error", this.#onError);
  }

  /** The MIME type of the current init segment, or "" before one arrived. */
  get mime(): string {
    return this.#mime;
  }

  /**
   * The presenter's clock at media time 0 of the current stream, or null when
   * unknown: the init's, plus the shift the server measured (`shiftClock()`).
   */
  get clockMs(): number | null {
    return this.#clockMs === null ? null : this.#clockMs + this.#clockShiftMs;
  }

  /**
   * The server found this stream's media time running `ms` slow against the
   * presenter's clock (`stats.tracks[].clockShiftMs`, sound tracks whose page
   * lost samples): map it that much later, so the pictures follow it right.
   */
  shiftClock(ms: number): void {
    if (this.#clockMs === null || ms === this.#clockShiftMs) return;
    this.#clockShiftMs = ms;
    this.#video.setAttribute("data-clock-ms", String(this.clockMs));
  }

  /** The element's playback rate. */
  get rate(): number {
    return this.#video.playbackRate;
  }

  /**
   * New live-edge tuning from now on, over the defaults for the stream's
   * kind: e.g. a deeper voice buffer on a poor link (lib/client/profiles.ts).
   */
  tune(edge: LiveEdgeOptions): void {
    const before = this.#edge.targetS;
    this.#edgeOptions = edge;
    if (this.#video.paused) {
      this.#edge = this.#newEdge();
      return;
    }
    // A switch must not skip a voice that plays either: a buffer deeper than the new tuning's
    // `maxLagS` (a step up from a slow link's deep buffer, measured 2.4–3.3 s against high's
    // 2 s) is played down at the catch-up rate, not seeked past (seconds of speech lost). Until
    // the next tuning, the lag it had is the one that seeks.
    const lag = Math.max(0, (this.#ranges().at(-1)?.end ?? 0) - this.#video.currentTime);
    this.#edge = this.#newEdge(lag + SWITCH_LAG_SLACK_S);
    // Nor pause it: pre-roll is for starts and dry runs.
    this.#edge.playing();
    // A deeper target (a step down): play slower from now on, so the buffer there is lasts
    // while the poorer link's first chunks come late (fillRate, live_edge.ts).
    if (this.#edge.targetS > before) this.#edge.fill();
  }

  /** Starts (or restarts) the stream with a new init segment; `clockMs` as in the init frame. */
  init(mime: string, bytes: Uint8Array, clockMs?: number): void {
    this.#mime = mime;
    this.#clockMs = clockMs ?? null;
    this.#clockShiftMs = 0;
    // On the element too, for tests and debugging: media time 0 on the presenter's clock.
    if (clockMs === undefined) this.#video.removeAttribute("data-clock-ms");
    else this.#video.setAttribute("data-clock-ms", String(clockMs));
    this.#init = bytes.slice();
    this.#offsetS = 0;
    this.#waitKey = false;
    this.#open();
  }

  /**
   * Continues with another encode of the same sound, whose media time 0 sits
   * at `clockMs` on the presenter's clock: its init goes into the same
   * SourceBuffer (what was queued of the old stream and not yet appended is
   * dropped) and its media lands on this timeline (timestampOffset), so the
   * element plays on where it was. Without a clock on either side, another
   * MIME type or no SourceBuffer yet, it starts afresh like `init()`.
   *
   * The timeline's clock from here on is the new encode's: the old stream's
   * shift goes into the base (its media already sits on the timeline by it)
   * and the shift starts at 0 again, so a later `shiftClock()` (the new
   * encode's own, from `stats`) moves the new media, not the old and the new
   * together.
   */
  splice(mime: string, bytes: Uint8Array, clockMs?: number): void {
    const base = this.clockMs;
    if (!this.#sb || !this.#init || mime !== this.#mime || clockMs === undefined || base === null) {
      return this.init(mime, bytes, clockMs);
    }
    this.stats.splices++;
    this.#clockMs = base;
    this.#clockShiftMs = 0;
    this.#video.setAttribute("data-clock-ms", String(base));
    this.#init = bytes.slice();
    this.#offsetS = (clockMs - base) / 1000;
    this.#spliced = true;
    this.#queue = [this.#init];
    this.#queued = this.#init.byteLength;
    this.#waitKey = false;
    this.#pump();
  }

  /** Queues a media segment; `keyframe` marks one a decoder may start at. */
  media(bytes: Uint8Array, keyframe: boolean): void {
    if (!this.#init) return;
    if (this.#waitKey && !keyframe) {
      this.stats.droppedSegments++;
      return;
    }
    this.#waitKey = false;
    if (this.#queued + bytes.byteLength > MAX_QUEUE_BYTES) {
      this.stats.droppedSegments += this.#queue.length + 1;
      this.#queue = [];
      this.#queued = 0;
      this.#waitKey = true;
      return;
    }
    this.#queue.push(bytes.slice());
    this.#queued += bytes.byteLength;
    this.#pump();
  }

  /** Where the element is (own media seconds), for lip sync; null before media. */
  view(): ClockedView | null {
    if (!this.#sb) return null;
    const ranges = this.#ranges();
    return ranges.length === 0 ? null : {
      clockMs: this.clockMs,
      ranges,
      currentTime: this.#video.currentTime,
    };
  }

  /**
   * Applies live-edge control; call a few times a second. `liveEnd` (own
   * media seconds) caps the live end, e.g. at what the other synced tracks
   * have. Returns the decision, if any.
   */
  tick(liveEnd?: number): EdgeDecision | null {
    const v = this.#video;
    if (!this.#sb) return null;
    const ranges = this.#ranges();
    const d = this.#edge.update({
      ranges,
      currentTime: v.currentTime,
      paused: v.paused,
      now: this.#env.now(),
      liveEnd,
    });
    if (d.seekTo !== undefined) {
      // On the element, for tests and debugging: why and from where the live edge last seeked.
      v.setAttribute("data-seek", `${d.reason} ${v.currentTime.toFixed(2)}→${d.seekTo.toFixed(2)}`);
      v.currentTime = d.seekTo;
    }
    if (v.playbackRate !== d.rate) v.playbackRate = d.rate;
    if (d.removeUpTo !== undefined) {
      this.#removeUpTo = d.removeUpTo;
      this.#pump();
    }
    if (d.hold) {
      // Filling the pre-roll: stay paused (the controller counts this as no stall).
      if (!v.paused) v.pause();
      return d;
    }
    if (v.paused && ranges.length > 0 && !this.#blocked && !this.#starting) this.#play();
    return d;
  }

  /**
   * Plays in step with a leader at `leaderClockMs` on the shared clock going
   * at `leaderRate` (a rate nudge or a seek); where this player has no media
   * for that place yet, it keeps its own live edge. Returns the lag.
   */
  follow(leaderClockMs: number, leaderRate: number): EdgeDecision | null {
    const view = this.view();
    const d = view && this.#clockMs !== null ? follow(leaderClockMs, leaderRate, view) : null;
    if (!view || !d) return this.tick();
    const v = this.#video;
    if (d.seekTo !== undefined) v.currentTime = d.seekTo;
    if (v.playbackRate !== d.rate) v.playbackRate = d.rate;
    this.#edge.reset();
    const t = v.currentTime;
    const first = view.ranges[0].start;
    if (t - first > TRIM_ABOVE_S) {
      this.#removeUpTo = t - KEEP_BEHIND_S;
      this.#pump();
    }
    if (v.paused && !this.#blocked && !this.#starting) this.#play();
    return { rate: d.rate, lag: Math.max(0, view.ranges.at(-1)!.end - t), seekTo: d.seekTo };
  }

  /** Retries playback after autoplay was refused; call from a click handler. */
  resume(): void {
    this.#blocked = false;
    this.#play();
  }

  /** Stops and detaches the element; the player can be re-used with `init()`. */
  reset(): void {
    this.#teardown();
    this.#init = null;
    this.#mime = "";
  }

  destroy(): void {
    this.reset();
    this.#video.removeEventListener("error", this.#onError);
  }

  /** A controller for the stream's kind and the tuning; `minMaxLagS` raises its `maxLagS`. */
  #newEdge(minMaxLagS = 0): LiveEdge {
    const options = {
      ...(hasAudio(this.#mime) ? AUDIBLE_EDGE : SILENT_EDGE),
      ...this.#edgeOptions,
    };
    const maxLagS = Math.max(options.maxLagS ?? LIVE_EDGE_DEFAULTS.maxLagS, minMaxLagS);
    return new LiveEdge({ ...options, maxLagS });
  }

  #ranges(): Range[] {
    const b = this.#video.buffered;
    const ranges: Range[] = [];
    for (let i = 0; i < b.length; i++) ranges.push({ start: b.start(i), end: b.end(i) });
    return ranges;
  }

  #play(): void {
    this.#starting = true;
    this.#video.play().then(
      () => this.#starting = false,
      (err: Error) => {
        this.#starting = false;
        if (err?.name === "NotAllowedError") {
          this.#blocked = true;
          this.onPlayBlocked();
        }
      },
    );
  }

  #open(): void {
    this.#teardown();
    this.stats.resets++;
    this.#edge = this.#newEdge();
    const ms = new this.#env.MediaSource();
    this.#ms = ms;
    this.#queue = [this.#init!];
    this.#queued = this.#init!.byteLength;
    this.#url = this.#env.createObjectURL(ms);
    this.#video.disableRemotePlayback = true;
    this.#video.src = this.#url;
    ms.addEventListener("sourceopen", () => {
      if (this.#ms !== ms) return;
      try {
        const sb = ms.addSourceBuffer(this.#mime);
        sb.mode = "segments";
        sb.timestampOffset = this.#offsetS;
        sb.addEventListener("updateend", () => this.#pump());
        this.#sb = sb;
      } catch {
        return; // An unsupported type: the element stays empty; the island says so.
      }
      this.#pump();
    }, { once: true });
  }

  #teardown(): void {
    this.#sb = null;
    this.#spliced = false;
    this.#ms = null;
    this.#queue = [];
    this.#queued = 0;
    this.#removeUpTo = null;
    if (this.#url) {
      this.#env.revokeObjectURL(this.#url);
      this.#url = "";
      this.#video.removeAttribute("src");
      this.#video.load();
    }
  }

  /** Decode error or a closed MediaSource: start over from the init at the next keyframe. */
  #recover(): void {
    if (!this.#init) return;
    this.#open();
    this.#queue = [this.#init];
    this.#waitKey = true;
  }

  #pump(): void {
    const sb = this.#sb;
    if (!sb || sb.updating || this.#ms?.readyState !== "open") return;
    try {
      if (this.#removeUpTo !== null) {
        const end = this.#removeUpTo;
        this.#removeUpTo = null;
        if (sb.buffered.length > 0 && sb.buffered.start(0) < end) {
          sb.remove(0, end);
          return;
        }
      }
      if (this.#queue.length === 0) return;
      if (this.#spliced) {
        // The old stream's last cluster may be open in the parser: end it, then move the timeline.
        this.#spliced = false;
        sb.abort();
        sb.timestampOffset = this.#offsetS;
      }
      const data = concat(this.#queue);
      this.#queue = [];
      this.#queued = 0;
      sb.appendBuffer(data);
      this.stats.appends++;
    } catch (err) {
      if ((err as Error)?.name === "QuotaExceededError") {
        this.#removeUpTo = this.#video.currentTime - 1;
        this.#waitKey = true;
        return;
      }
      this.#recover();
    }
  }
}

function concat(parts: Uint8Array<ArrayBuffer>[]): Uint8Array<ArrayBuffer> {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

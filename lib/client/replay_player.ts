/**
 * Plays a recording's tracks on one timeline: one media element per track
 * (`<video src>` / `<audio src>` on the recorded files, which carry Cues, so
 * seeking is a range request), driven by a master clock (replay_clock.ts).
 *
 * Each `tick()` (a few times a second, and after every user action):
 * - the leading element (audio, else camera, else the rest; the first that
 *   covers the playhead) sets the clock; while it is seeking or buffering
 *   the clock holds and the other elements pause, so nothing runs ahead
 *   (the leader itself stays playing, so that it keeps loading);
 * - every element shows the part of its track that covers the clock (its
 *   `src` changes at part boundaries; past a part's end it holds the last
 *   frame, paused; before its first part it pauses and is marked idle);
 * - an element more than `driftMs` off the clock is pulled back: by a change
 *   of its rate (up to 25 % for video, 8 % for sound) when it is under a
 *   second off and playing, else by a seek.
 * Nothing here touches the DOM beyond the `MediaLike` surface, so tests drive
 * it with fake elements and a fake clock.
 */
import type { RecordingInfo, RecordingTrack } from "../replay/recording.ts";
import { recordingDurationMs } from "../replay/recording.ts";
import { ReplayClock } from "./replay_clock.ts";
import { locate, masterOrder, type TrackPosition } from "./replay_timeline.ts";

/** The part of HTMLMediaElement the player uses. */
export interface MediaLike {
  src: string;
  currentTime: number;
  playbackRate: number;
  readonly paused: boolean;
  readonly seeking: boolean;
  readonly readyState: number;
  readonly ended: boolean;
  /** Seconds; Infinity for a growing file until the element has read to its end. */
  readonly duration: number;
  play(): Promise<void>;
  pause(): void;
}

export interface ReplayOptions {
  /** Monotonic ms. */
  now?: () => number;
  /** Drift (ms) from the clock beyond which an element is corrected. */
  driftMs?: number;
  /** Resolves a part's URL (the offline player maps to local files). */
  resolveUrl?: (url: string) => string;
  /** The duration to assume, ms (a live recording grows: pass a getter). */
  durationMs?: () => number;
}

/** HTMLMediaElement.HAVE_CURRENT_DATA: the frame at the playhead is there. */
const HAVE_CURRENT_DATA = 2;
/** HTMLMediaElement.HAVE_FUTURE_DATA: can play on from here. */
const HAVE_FUTURE_DATA = 3;
/** Beyond this drift a rate nudge would take too long: seek. */
const SEEK_ABOVE_MS = 1000;
/**
 * Largest rate change used to close a drift: a picture may run 25 % fast or
 * slow for a moment unnoticed; sound only 8 % (pitch). The change is the drift
 * over a second, so 400 ms closes in about 1.6 s and 100 ms in about 1 s.
 */
const MAX_NUDGE_VIDEO = 0.25;
const MAX_NUDGE_AUDIO = 0.08;

interface Slot {
  track: RecordingTrack;
  el: MediaLike;
  /** Index of the part loaded into `el`, or -1. */
  loaded: number;
  /** A seek was asked and `seeking` may not be true yet. */
  pendingSeek: boolean;
  active: boolean;
  exhausted: boolean;
}

export interface ReplayStatus {
  positionMs: number;
  durationMs: number;
  playing: boolean;
  rate: number;
  /** The leading element is seeking or buffering. */
  waiting: boolean;
  /** Track name → whether a part covers the playhead. */
  active: Record<string, boolean>;
  /**
   * Tracks whose file ended before the playhead: a growing file read to the
   * end it had when opened (see `reload()`), or a part shorter than listed.
   */
  exhausted: string[];
}

/** A seek asked of an element is done once it no longer seeks and has the frame. */
function settle(s: Slot): void {
  if (s.pendingSeek && !s.el.seeking && s.el.readyState >= HAVE_CURRENT_DATA) {
    s.pendingSeek = false;
  }
}

/** The element has played its whole file and the clock is past its end. */
function ranOut(s: Slot, at: TrackPosition): boolean {
  if (s.pendingSeek || s.el.seeking) return false;
  const d = s.el.duration;
  return s.el.ended || (Number.isFinite(d) && d > 0 && at.mediaS > d + 0.25);
}

/** Drives one element per track from one clock. */
export class ReplayPlayer {
  /** Called when playback reaches the end. */
  onEnded: () => void = () => {};
  readonly #clock: ReplayClock;
  readonly #slots: Slot[] = [];
  readonly #order: string[];
  readonly #driftMs: number;
  readonly #resolve: (url: string) => string;
  readonly #duration: () => number;
  #waiting = false;
  #leader: Slot | null = null;

  constructor(
    recording: RecordingInfo,
    elements: ReadonlyMap<string, MediaLike>,
    options: ReplayOptions = {},
  ) {
    this.#clock = new ReplayClock(options.now ?? (() => performance.now()));
    this.#driftMs = options.driftMs ?? 80;
    this.#resolve = options.resolveUrl ?? ((u) => u);
    const fixed = recordingDurationMs(recording);
    this.#duration = options.durationMs ?? (() => fixed);
    for (const track of recording.tracks) {
      const el = elements.get(track.name);
      if (el) {
        this.#slots.push({
          track,
          el,
          loaded: -1,
          pendingSeek: false,
          active: false,
          exhausted: false,
        });
      }
    }
    this.#order = masterOrder(this.#slots.map((s) => s.track));
  }

  get status(): ReplayStatus {
    return {
      positionMs: Math.min(this.#clock.ms, this.#duration()),
      durationMs: this.#duration(),
      playing: this.#clock.playing,
      rate: this.#clock.rate,
      waiting: this.#waiting,
      active: Object.fromEntries(this.#slots.map((s) => [s.track.name, s.active])),
      exhausted: this.#slots.filter((s) => s.exhausted).map((s) => s.track.name),
    };
  }

  play(): void {
    if (this.#clock.ms >= this.#duration() - 50) this.#clock.seek(0);
    this.#clock.play();
    this.#apply(true);
  }

  pause(): void {
    this.#clock.pause();
    this.#apply(false);
  }

  toggle(): void {
    if (this.#clock.playing) this.pause();
    else this.play();
  }

  /** Moves the playhead to `ms` (clamped to the recording) and every element with it. */
  seek(ms: number): void {
    const to = Math.max(0, Math.min(ms, this.#duration()));
    this.#clock.seek(to);
    for (const s of this.#slots) this.#place(s, to, true);
    this.#apply(false);
  }

  seekBy(ms: number): void {
    this.seek(this.#clock.ms + ms);
  }

  setRate(rate: number): void {
    this.#clock.setRate(rate);
    for (const s of this.#slots) s.el.playbackRate = rate;
  }

  /**
   * Loads the files of `tracks` (default: all) again and puts them back on the
   * clock: for files that grew since they were opened (a recording in progress).
   */
  reload(tracks?: readonly string[]): void {
    for (const s of this.#slots) {
      if (!tracks || tracks.includes(s.track.name)) s.loaded = -1;
    }
    this.#apply(false);
  }

  /** Keeps every element on the clock; call a few times a second. */
  tick(): ReplayStatus {
    this.#apply(false);
    return this.status;
  }

  #apply(force: boolean): void {
    const clock = this.#clock;
    // The leader sets the clock; a leader that is not ready holds it.
    let waiting = false;
    this.#leader = null;
    for (const name of this.#order) {
      const s = this.#slots.find((x) => x.track.name === name)!;
      const at = locate(s.track, clock.ms);
      if (!at || at.held || s.loaded !== at.index || ranOut(s, at)) continue;
      this.#leader = s;
      settle(s);
      if (s.el.seeking || s.pendingSeek || s.el.readyState < HAVE_FUTURE_DATA) {
        // Hold: the clock stays where the leader is until it can play on.
        waiting = clock.playing;
        if (waiting) clock.follow(s.track.parts[at.index].offsetMs + s.el.currentTime * 1000);
      } else if (clock.playing && !s.el.paused) {
        clock.follow(s.track.parts[at.index].offsetMs + s.el.currentTime * 1000);
      }
      break;
    }
    this.#waiting = waiting;
    const ms = clock.ms;
    const end = this.#duration();
    if (clock.playing && ms >= end) {
      clock.pause();
      clock.seek(end);
      for (const s of this.#slots) if (!s.el.paused) s.el.pause();
      this.onEnded();
      return;
    }
    for (const s of this.#slots) this.#place(s, ms, force);
  }

  /** Puts one element where the clock is: right part, right time, right play state. */
  #place(s: Slot, ms: number, seek: boolean): void {
    const at = locate(s.track, ms);
    s.active = at !== null;
    const el = s.el;
    settle(s);
    s.exhausted = at !== null && !at.held && s.loaded === at.index && !seek && ranOut(s, at);
    // Never play() an element at its end: that would start it over from 0.
    if (!at || s.exhausted) {
      if (!el.paused) el.pause();
      return;
    }
    if (at.held) {
      // The part's last frame, paused.
      if (s.loaded !== at.index) {
        s.loaded = at.index;
        el.src = this.#resolve(at.part.url);
        this.#seekEl(s, at);
      } else if (!el.seeking && !s.pendingSeek && Math.abs(el.currentTime - at.mediaS) > 0.1) {
        this.#seekEl(s, at);
      }
      if (!el.paused) el.pause();
      return;
    }
    if (s.loaded !== at.index) {
      s.loaded = at.index;
      el.src = this.#resolve(at.part.url);
      el.playbackRate = this.#clock.rate;
      this.#seekEl(s, at);
    } else if (seek) {
      this.#seekEl(s, at);
    } else if (!el.seeking && !s.pendingSeek) {
      this.#correct(s, at);
    }
    // While the leader buffers, the others wait; the leader itself keeps playing (a paused
    // element may stop loading before it has enough to play on).
    const shouldPlay = this.#clock.playing && (!this.#waiting || s === this.#leader);
    if (shouldPlay && el.paused) el.play().catch(() => {});
    else if (!shouldPlay && !el.paused) el.pause();
  }

  #seekEl(s: Slot, at: TrackPosition): void {
    s.el.currentTime = at.mediaS;
    s.pendingSeek = true;
  }

  #correct(s: Slot, at: TrackPosition): void {
    const el = s.el;
    const rate = this.#clock.rate;
    const drift = (el.currentTime - at.mediaS) * 1000;
    const playing = this.#clock.playing && !el.paused;
    if (Math.abs(drift) <= this.#driftMs / 2) {
      if (el.playbackRate !== rate) el.playbackRate = rate;
      return;
    }
    if (Math.abs(drift) <= this.#driftMs) return;
    if (playing && Math.abs(drift) < SEEK_ABOVE_MS) {
      const max = s.track.name === "audio" || s.track.mime.startsWith("audio/")
        ? MAX_NUDGE_AUDIO
        : MAX_NUDGE_VIDEO;
      const nudge = Math.min(max, Math.max(0.04, Math.abs(drift) / 1000));
      const nudged = rate * (drift > 0 ? 1 - nudge : 1 + nudge);
      // Rates are rounded so that small changes of the drift do not reset the element's rate.
      const rounded = Math.round(nudged * 100) / 100;
      if (el.playbackRate !== rounded) el.playbackRate = rounded;
      return;
    }
    this.#seekEl(s, at);
  }
}

/**
 * What a throttled viewer's samples say (tests/throttle.ts takes them every
 * 100 ms in the page): how much of the wall time the voice played, its
 * longest gap, and the profile over time. Pure, so the arithmetic the
 * low-bandwidth acceptance test relies on is itself tested.
 *
 * "Playing" is judged by the voice element's clock, not its flags. An
 * interval (100 ms) in which `currentTime` advanced at least 80 % of the
 * wall time, at the element's playback rate (a player holding back at 0.9×
 * plays all the time, slower), counts as played in full: a headless
 * Chromium's audio clock runs a few per cent slow on a loaded machine, and
 * that is not a gap. Below that, the interval counts for what it advanced (a
 * stall that begins or ends in it), nothing while paused or when the clock
 * went back (a reset). A skip ahead plays no extra time.
 */

/** One sample of the viewer page, times in ms of the page's own clock (performance.now). */
export interface ViewerSample {
  t: number;
  /** The `<audio data-track="audio">` element, or null while there is none. */
  audio: { currentTime: number; paused: boolean; readyState: number; playbackRate: number } | null;
  /** `[data-testid=profile]` `data-profile`, or null while there is none. */
  profile: string | null;
  /** `[data-testid=slide]` `data-slide-index` and `data-strokes`, or null while not shown. */
  slide: number | null;
  strokes: number | null;
}

/** A window of page time, ms; `to` open-ended when omitted. */
export interface Span {
  from: number;
  to?: number;
}

/** From this share of an interval played on, it counts in full; below, it is part of a gap. */
const PLAYED_SHARE = 0.8;

interface Interval {
  start: number;
  end: number;
  /** Ms of voice played in it. */
  played: number;
}

/** The sampled intervals inside `span`, each with the voice time played in it. */
function intervals(samples: readonly ViewerSample[], span: Span): Interval[] {
  const to = span.to ?? Infinity;
  const out: Interval[] = [];
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1], samples[i]];
    const start = Math.max(a.t, span.from), end = Math.min(b.t, to);
    if (end <= start) continue;
    const wall = b.t - a.t;
    // Media time over the rate it played at (the mean of the two ends'): wall time spent playing.
    const advanced = a.audio && b.audio && !b.audio.paused
      ? ((b.audio.currentTime - a.audio.currentTime) * 1000) /
        Math.max((a.audio.playbackRate + b.audio.playbackRate) / 2, 0.1)
      : 0;
    const share = Math.max(advanced, 0) / wall;
    // Clipped to the span: the part of the interval inside it plays in proportion.
    const played = (share >= PLAYED_SHARE ? 1 : share) * (end - start);
    out.push({ start, end, played });
  }
  return out;
}

/** Share (0…1) of the wall time in `span` that the voice played; 0 without samples. */
export function playingShare(samples: readonly ViewerSample[], span: Span): number {
  let wall = 0, played = 0;
  for (const i of intervals(samples, span)) {
    wall += i.end - i.start;
    played += i.played;
  }
  return wall > 0 ? played / wall : 0;
}

/**
 * The stretches of `span` the voice did not play, in order: where each began (page ms) and how
 * much voice it lost (ms), the unplayed time of consecutive intervals that did not play in full.
 */
export function gaps(samples: readonly ViewerSample[], span: Span): { at: number; ms: number }[] {
  const out: { at: number; ms: number }[] = [];
  let run: { at: number; ms: number } | null = null;
  for (const i of intervals(samples, span)) {
    const wall = i.end - i.start;
    if (i.played >= wall) run = null;
    else if (run) run.ms += wall - i.played;
    else out.push(run = { at: i.start, ms: wall - i.played });
  }
  return out;
}

/** The longest stretch of `span` the voice did not play, ms (see {@linkcode gaps}). */
export function longestGap(samples: readonly ViewerSample[], span: Span): number {
  return Math.max(0, ...gaps(samples, span).map((g) => g.ms));
}

/**
 * The most voice skipped in one step inside `span`, ms: how far the voice's clock ran ahead of
 * the wall time at its playback rate (a seek forward: speech never heard), which `gaps` does not
 * count. A clock that went back (a reset) skips nothing.
 */
export function longestSkip(samples: readonly ViewerSample[], span: Span): number {
  let worst = 0;
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1], samples[i]];
    if (b.t <= span.from || a.t >= (span.to ?? Infinity) || !a.audio || !b.audio) continue;
    const rate = Math.max(a.audio.playbackRate, b.audio.playbackRate);
    const ahead = (b.audio.currentTime - a.audio.currentTime) * 1000 - (b.t - a.t) * rate;
    worst = Math.max(worst, ahead);
  }
  return worst;
}

/** "1.8 s at 4.1 s, 0.6 s at 9.0 s": the gaps of at least `minMs`, for a printed figure. */
export function describeGaps(list: { at: number; ms: number }[], minMs = 200): string {
  const shown = list.filter((g) => g.ms >= minMs);
  if (shown.length === 0) return `none of ${minMs} ms or more`;
  return shown.map((g) => `${(g.ms / 1000).toFixed(1)} s at ${(g.at / 1000).toFixed(1)} s`)
    .join(", ");
}

/** The wall time the samples cover, ms (0 for fewer than two). */
export function sampledMs(samples: readonly ViewerSample[]): number {
  return samples.length < 2 ? 0 : samples[samples.length - 1].t - samples[0].t;
}

/** Each profile the page showed and the page time it first showed it, in order. */
export function profileTimeline(
  samples: readonly ViewerSample[],
): { t: number; profile: string | null }[] {
  const out: { t: number; profile: string | null }[] = [];
  for (const s of samples) {
    if (out.length === 0 || out[out.length - 1].profile !== s.profile) {
      out.push({ t: s.t, profile: s.profile });
    }
  }
  return out;
}

/** The first sample at or after `from` that satisfies `ok`, or undefined. */
export function firstSample(
  samples: readonly ViewerSample[],
  from: number,
  ok: (s: ViewerSample) => boolean,
): ViewerSample | undefined {
  return samples.find((s) => s.t >= from && ok(s));
}

/** Profiles from the least to the most bandwidth (the viewer's `data-profile` values). */
export const PROFILES = ["ultra-low", "low", "medium", "high"] as const;

/** A profile's place in {@linkcode PROFILES}; -1 for none or an unknown name. */
export function profileRank(profile: string | null): number {
  return PROFILES.indexOf(profile as typeof PROFILES[number]);
}

/** "ultra-low 0.0 s → high 4.2 s": a timeline for a failure message or a printed figure. */
export function describeTimeline(timeline: { t: number; profile: string | null }[]): string {
  return timeline.map((e) => `${e.profile ?? "none"} ${(e.t / 1000).toFixed(1)} s`).join(" → ");
}

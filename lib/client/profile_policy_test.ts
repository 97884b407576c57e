import assert from "node:assert/strict";
import { type PolicySample, ProfilePolicy } from "./profile_policy.ts";
import { PROFILE_NAMES, type ProfileName, profileNeed, PROFILES } from "./profiles.ts";

const BITRATES = new Map([
  ["audio", 24_000],
  ["camera-low", 100_000],
  ["camera", 1_000_000],
  ["whiteboard", 250_000],
]);
const NEEDS = Object.fromEntries(
  PROFILE_NAMES.map((p) => [p, profileNeed(PROFILES[p], BITRATES)]),
) as Record<ProfileName, number>;
const laneNeed = (p: ProfileName) =>
  PROFILES[p].lane.reduce((n, t) => n + BITRATES.get(t)!, 0) * 1.2;
const voiceNeed = 24_000 * 1.2;

/**
 * A link of `capacity(t)` bits per second shared fairly by the sockets, as
 * measured under Chromium's emulation: the voice gets what it needs when its
 * fair share covers it, the lane the rest; a probe gets its fair share.
 */
class Link {
  voiceLate = 0;
  switches: { at: number; to: ProfileName }[] = [];
  probes = 0;
  #lastHint: number | null | undefined;
  constructor(
    readonly policy: ProfilePolicy,
    readonly capacity: (t: number) => number,
    readonly hint: (t: number) => number | null = () => null,
  ) {}

  /** Runs from `from` to `to` ms in 500 ms steps, like the runner. */
  run(from: number, to: number): void {
    let lastHint = this.#lastHint === undefined ? this.hint(from) : this.#lastHint;
    for (let t = from; t < to; t += 500) {
      const c = this.capacity(t);
      const h = this.hint(t);
      if (h !== lastHint) this.#note(t, this.policy.hint(h, t));
      lastHint = this.#lastHint = h;
      const p = this.policy.profile;
      const lane = laneNeed(p);
      const sockets = lane > 0 ? 2 : 1;
      const voiceGets = Math.min(voiceNeed, c / sockets + Math.max(0, c / sockets - lane));
      this.voiceLate = voiceGets >= voiceNeed
        ? 0
        : this.voiceLate + 500 * (1 - voiceGets / voiceNeed);
      const laneGets = Math.max(0, c - voiceGets);
      const sample: PolicySample = {
        now: t,
        voiceLateMs: this.voiceLate,
        laneRatio: lane > 0 ? Math.min(1, laneGets / lane) : null,
        goodputBps: Math.min(c, voiceNeed + lane),
        serverBacklog: false,
      };
      this.#note(t, this.policy.sample(sample));
      const bytes = this.policy.probeBytes(t);
      if (bytes > 0) {
        this.probes++;
        const used = Math.min(c, voiceNeed + lane);
        const probeBps = Math.max(c - used, c / (sockets + 1));
        this.#note(t, this.policy.probed({ probeBps, mediaBps: used }, t + 250));
      }
    }
  }

  #note(at: number, to: ProfileName): void {
    if (this.switches.at(-1)?.to !== to) this.switches.push({ at, to });
  }

  /** When the profile first became one of `names` at or after `from`, ms. */
  reached(names: ProfileName[], from: number): number {
    const s = this.switches.find((s) => s.at >= from && names.includes(s.to));
    assert.ok(s, `never reached ${names} after ${from} ms: ${JSON.stringify(this.switches)}`);
    return s.at;
  }
}

const policy = (o: Partial<ConstructorParameters<typeof ProfilePolicy>[0]> = {}) =>
  new ProfilePolicy({ now: 0, needs: NEEDS, ...o });

Deno.test("profile policy: a 2 Mbit/s link plays high; at 64 kbit/s it steps down within 5 s, and back up within 10 s", () => {
  const rate = (t: number) => t < 20_000 || t >= 40_000 ? 2_000_000 : 64_000;
  const link = new Link(policy({ hintBps: 2_000_000 }), rate, rate);
  link.run(0, 20_000);
  assert.equal(link.policy.profile, "high");
  link.run(20_000, 40_000);
  // The downlink hint fell with the link: at once, before the lane can starve the voice.
  const down = link.reached(["low", "ultra-low"], 20_000);
  assert.equal(down, 20_000);
  assert.ok(["low", "ultra-low"].includes(link.policy.profile), link.policy.profile);
  link.run(40_000, 60_000);
  const up = link.reached(["high"], 40_000);
  assert.ok(
    up - 40_000 <= 10_000,
    `stepped up after ${up - 40_000} ms: ${JSON.stringify(link.switches)}`,
  );
  assert.equal(link.policy.profile, "high");
});

Deno.test("profile policy: without a hint (Firefox) the link is found by probing", () => {
  const rate = (t: number) => t < 20_000 || t >= 40_000 ? 2_000_000 : 64_000;
  const link = new Link(policy(), rate);
  assert.equal(link.policy.profile, "ultra-low"); // voice first
  link.run(0, 20_000);
  assert.ok(link.reached(["high"], 0) <= 10_000);
  link.run(20_000, 40_000);
  assert.ok(link.reached(["low", "ultra-low"], 20_000) - 20_000 <= 5000);
  link.run(40_000, 80_000);
  // Without a hint, only the backed-off probes find the link again: within their longest pause.
  assert.ok(link.reached(["high"], 40_000) - 40_000 <= 31_000);
});

Deno.test("profile policy: 32 kbit/s from the start stays on voice and probes ever more rarely", () => {
  const link = new Link(policy({ hintBps: 32_000 }), () => 32_000, () => 32_000);
  link.run(0, 120_000);
  assert.deepEqual(link.switches.map((s) => s.to), ["ultra-low"]);
  // The hint says low (55 kbit/s) does not fit: a probe every 30 s.
  assert.ok(link.probes <= 4, `${link.probes} probes`);
  // Without a hint: 2, 4, 8, 16, 30, 30… s apart.
  const blind = new Link(policy(), () => 32_000);
  blind.run(0, 120_000);
  assert.deepEqual(blind.switches.map((s) => s.to), ["ultra-low"]);
  assert.ok(blind.probes <= 8, `${blind.probes} probes`);
});

Deno.test("profile policy: a link that cannot hold what its probes promise does not flap", () => {
  // Probes see 2 Mbit/s, but sustained video starves at 150 kbit/s (a bursty radio link).
  const p = policy();
  const link = new Link(p, () => 150_000);
  const probed = p.probed.bind(p);
  p.probed = (_r, now) => probed({ probeBps: 2_000_000, mediaBps: 0 }, now);
  link.run(0, 300_000);
  const ups = link.switches.filter((s, i) =>
    i > 0 && PROFILE_NAMES.indexOf(s.to) > PROFILE_NAMES.indexOf(link.switches[i - 1].to)
  );
  // Bans of 8, 16, 32, 64, 120 s: a handful of tries in five minutes, not one every few seconds.
  assert.ok(ups.length >= 2 && ups.length <= 8, `${ups.length} steps up`);
});

Deno.test("profile policy: a chosen profile holds through trouble; back to auto, it steps down", () => {
  const p = policy({ hintBps: 2_000_000, manual: "high" });
  assert.equal(p.mode, "manual");
  const link = new Link(p, () => 64_000, () => 64_000);
  link.run(0, 10_000);
  assert.equal(p.profile, "high");
  assert.equal(p.probeBytes(10_000), 0); // no probes while manual
  p.override(null, 10_000);
  assert.equal(p.mode, "auto");
  link.run(10_000, 20_000);
  assert.ok(link.reached(["low", "ultra-low"], 10_000) - 10_000 <= 5000);
  assert.equal(p.override("medium", 20_000), "medium");
  assert.equal(p.mode, "manual");
});

Deno.test("profile policy: trouble must last before stepping down; one bad sample does not", () => {
  const p = policy({ hintBps: 10_000_000 });
  assert.equal(p.profile, "high");
  const ok = { voiceLateMs: 0, laneRatio: 1, goodputBps: 2e6, serverBacklog: false };
  p.sample({ ...ok, now: 0 });
  p.sample({ ...ok, now: 500, serverBacklog: true });
  p.sample({ ...ok, now: 1000 });
  p.sample({ ...ok, now: 2000, laneRatio: 0.2 });
  p.sample({ ...ok, now: 3000, laneRatio: 0.2 });
  assert.equal(p.profile, "high");
  // Sustained 1.5 s, with 200 kbit/s getting through: medium fits (149 kbit/s), high does not.
  p.sample({ ...ok, now: 3500, laneRatio: 0.2, goodputBps: 200_000 });
  assert.equal(p.profile, "medium");
  assert.equal(p.estimateBps, 200_000);
});

Deno.test("profile policy: late voice steps down to voice alone when that is all that gets through", () => {
  const p = policy({ hintBps: 10_000_000 });
  for (let t = 0; t <= 2000; t += 500) {
    p.sample({
      now: t,
      voiceLateMs: 2000,
      laneRatio: 0.01,
      goodputBps: 30_000,
      serverBacklog: false,
    });
  }
  assert.equal(p.profile, "ultra-low");
});

Deno.test("profile policy: probes are sized to the estimate, one at a time, never in trouble", () => {
  const ok = { voiceLateMs: 0, laneRatio: null, goodputBps: 30_000, serverBacklog: false };
  const p = policy();
  assert.equal(p.probeBytes(0), 4096, "the smallest before any estimate");
  assert.equal(p.probeBytes(0), 0, "one at a time");
  assert.equal(p.probed({ probeBps: 200_000, mediaBps: 50_000 }, 300), "medium");
  assert.equal(p.probeBytes(1000), 0, "the next only after a pause");
  assert.equal(p.probeBytes(2300), 7813, "250 kbit/s for 0.25 s");
  assert.equal(p.probed({ probeBps: 50_000, mediaBps: 150_000 }, 2600), "medium"); // no room for high
  p.sample({ ...ok, now: 5000 });
  p.sample({ ...ok, now: 6500, voiceLateMs: 3000 });
  assert.equal(p.probeBytes(6600), 0, "not in trouble");
  assert.equal(p.probeBytes(8500), 6250, "after calm: 200 kbit/s for 0.25 s");
});

Deno.test("profile policy: where the downlink hint says the link is slow and full, probes are rare", () => {
  const p = policy({ hintBps: 200_000 });
  assert.equal(p.profile, "medium");
  assert.equal(p.probeBytes(0), 0); // high needs 1.7 Mbit/s
  assert.equal(p.probeBytes(29_000), 0);
  // No estimate yet (64 kbit/s assumed): the hint grows it three times, for 0.25 s.
  assert.equal(p.probeBytes(30_000), 6250);
  // A fast hint starts where it is no trouble (Chromium guesses 1.5 Mbit/s unemulated):
  // high at once, nothing to probe (start_profile.ts).
  const fast = policy({ hintBps: 1_500_000 });
  assert.equal(fast.profile, "high");
  assert.equal(fast.probeBytes(0), 0);
});

Deno.test("profile policy: a rising downlink hint lifts bans and probes at once", () => {
  const p = policy({ hintBps: 64_000 });
  assert.equal(p.profile, "low");
  assert.equal(p.probeBytes(0), 0, "medium would not fit 64 kbit/s");
  p.hint(2_000_000, 1000);
  // Four times the 64 kbit/s the hint said before, for 0.25 s.
  assert.equal(p.probeBytes(1000), 8000);
  assert.equal(p.probed({ probeBps: 1_900_000, mediaBps: 40_000 }, 1100), "high");
});

/** A sample at `now` with the voice `lateMs` behind real time and nothing else amiss. */
const voiceSample = (now: number, lateMs: number): PolicySample => ({
  now,
  voiceLateMs: lateMs,
  laneRatio: null,
  goodputBps: 20_000,
  serverBacklog: false,
});

Deno.test("voice choice: the first hello takes audio-low where the hint is Chromium's lowest step", () => {
  // Chromium rounds its downlink hint to 50 kbit/s steps: its emulated 32 and 64 kbit/s both say 0.05.
  assert.equal(policy({ hintBps: 50_000 }).voice, "audio-low");
  assert.equal(policy({ hintBps: 100_000 }).voice, "audio");
  assert.equal(policy({ hintBps: 1_800_000 }).voice, "audio");
  assert.equal(policy().voice, "audio"); // no hint (Firefox): the full voice until measured
  assert.equal(policy({ hintBps: 50_000, manual: "high" }).voice, "audio-low"); // by the link
});

Deno.test("voice choice: a falling hint keeps the voice; the 2 Mbit/s → 64 kbit/s → 2 Mbit/s switch never changes it", () => {
  const rate = (t: number) => t < 20_000 || t >= 40_000 ? 2_000_000 : 64_000;
  const p = policy({ hintBps: 2_000_000 });
  const link = new Link(p, rate, (t) => t < 20_000 || t >= 40_000 ? 1_800_000 : 50_000);
  const voices = new Set<string>();
  for (let t = 0; t < 60_000; t += 5_000) {
    link.run(t, t + 5_000);
    voices.add(p.voice);
  }
  assert.deepEqual([...voices], ["audio"]);
  assert.equal(p.profile, "high");
});

Deno.test("voice choice: a voice late for 3 s at ultra-low goes small, and holds 30 s unless the hint rises", () => {
  const p = policy();
  assert.equal(p.profile, "ultra-low");
  p.sample(voiceSample(0, 0));
  // Late, but not for long enough yet.
  for (let t = 500; t <= 3_000; t += 500) p.sample(voiceSample(t, 2_000));
  assert.equal(p.voice, "audio");
  p.sample(voiceSample(3_500, 2_000));
  assert.equal(p.voice, "audio-low");
  // A probe with room within the hold does not bring the full voice back…
  assert.equal(p.probeBytes(10_000) > 0, true);
  p.probed({ probeBps: 80_000, mediaBps: 12_000 }, 10_250);
  assert.equal(p.voice, "audio-low");
  // …one after it does.
  assert.equal(p.probeBytes(40_000) > 0, true);
  p.probed({ probeBps: 80_000, mediaBps: 12_000 }, 40_250);
  assert.equal(p.voice, "audio");
  // Late again: the profile the probes reached steps down first, then the voice goes small; a hint
  // that rises (the network changed) lifts the hold at once.
  for (let t = 41_000; t <= 55_000; t += 500) p.sample(voiceSample(t, 2_000));
  assert.equal(p.profile, "ultra-low");
  assert.equal(p.voice, "audio-low");
  p.hint(1_800_000, 56_000);
  assert.equal(p.voice, "audio");
});

Deno.test("voice choice: a late voice above ultra-low steps the profile down first, not the voice", () => {
  const p = policy({ manual: null, hintBps: 2_000_000 });
  assert.equal(p.profile, "high");
  for (let t = 0; t <= 6_000; t += 500) p.sample(voiceSample(t, 2_000));
  assert.equal(p.profile, "ultra-low");
  assert.equal(p.voice, "audio"); // settling after the step: not judged yet
});

Deno.test("voice choice: probes under 40 kbit/s take audio-low, over 64 kbit/s audio", () => {
  const p = policy();
  p.probeBytes(0);
  p.probed({ probeBps: 20_000, mediaBps: 15_000 }, 300);
  assert.equal(p.voice, "audio-low");
  p.probeBytes(5_000);
  p.probed({ probeBps: 40_000, mediaBps: 12_000 }, 5_300); // 52 kbit/s: between, no change
  assert.equal(p.voice, "audio-low");
  p.probeBytes(20_000);
  p.probed({ probeBps: 60_000, mediaBps: 12_000 }, 20_300);
  assert.equal(p.voice, "audio");
});

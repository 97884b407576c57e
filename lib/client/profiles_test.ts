import assert from "node:assert/strict";
import {
  cappedRenditions,
  DEFAULT_BITRATES,
  OVERHEAD,
  profileNeed,
  PROFILES,
  requestedProfile,
  stepProfile,
} from "./profiles.ts";

Deno.test("profiles: voice always on the main socket, video only on the lane", () => {
  for (const p of Object.values(PROFILES)) {
    assert.deepEqual(p.main, ["audio"]);
    assert.ok(!p.lane.includes("audio"));
  }
  assert.deepEqual(PROFILES["ultra-low"].lane, []);
  assert.deepEqual(PROFILES.low.lane, []);
  assert.deepEqual(PROFILES.medium.lane, ["camera-low"]);
  assert.deepEqual(PROFILES.high.lane, ["camera", "whiteboard"]);
  assert.deepEqual(
    Object.values(PROFILES).map((p) => p.camera),
    ["none", "snapshot", "camera-low", "camera"],
  );
});

Deno.test("profiles: the need adds the tracks' bitrates from stats, overhead and snapshots", () => {
  const rates = new Map([["audio", 20_000], ["camera-low", 80_000], ["camera", 900_000]]);
  assert.equal(profileNeed(PROFILES["ultra-low"], rates), 20_000 * OVERHEAD);
  assert.ok(profileNeed(PROFILES.low, rates) > 20_000 * OVERHEAD, "snapshots cost too");
  assert.equal(profileNeed(PROFILES.medium, rates), 100_000 * OVERHEAD);
  // whiteboard not in stats yet: its default.
  assert.equal(
    profileNeed(PROFILES.high, rates),
    (920_000 + DEFAULT_BITRATES.whiteboard) * OVERHEAD,
  );
  // A track the room does not publish costs nothing.
  assert.equal(profileNeed(PROFILES.high, rates, (t) => t !== "whiteboard"), 920_000 * OVERHEAD);
  // Ordered: each profile needs more than the one below (the 64/128/256 kbit/s bands).
  const needs = Object.values(PROFILES).map((p) => profileNeed(p, new Map()));
  assert.deepEqual([...needs].sort((a, b) => a - b), needs);
  assert.ok(needs[0] < 64_000 && needs[1] < 128_000 && needs[2] < 256_000);
});

Deno.test("profiles: URL choice, steps and rendition caps", () => {
  assert.equal(requestedProfile("?profile=low"), "low");
  assert.equal(requestedProfile("?profile=auto"), null);
  assert.equal(requestedProfile("?profile=bogus&x=1"), null);
  assert.equal(stepProfile("high", 1), "high");
  assert.equal(stepProfile("low", -1), "ultra-low");
  assert.equal(stepProfile("ultra-low", -1), "ultra-low");
  const r = [
    { w: 800, h: 450, url: "a" },
    { w: 1024, h: 576, url: "b" },
    { w: 1280, h: 720, url: "c" },
    { w: 1920, h: 1080, url: "d" },
  ];
  assert.deepEqual(cappedRenditions(r, PROFILES["ultra-low"].slideBox).map((x) => x.url), ["a"]);
  assert.deepEqual(cappedRenditions(r, PROFILES.low.slideBox).map((x) => x.url), ["a", "b"]);
  assert.equal(cappedRenditions(r, PROFILES.high.slideBox).length, 4);
  assert.deepEqual(
    cappedRenditions([{ w: 3000, h: 2000, url: "x" }], { w: 800, h: 600 }).length,
    1,
  );
  assert.deepEqual(cappedRenditions([], { w: 800, h: 600 }), []);
});

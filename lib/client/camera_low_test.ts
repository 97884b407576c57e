import assert from "node:assert/strict";
import { FrameGate, LOW_CAMERA } from "./camera_low.ts";

/** How many of `n` frames at `fps` (µs timestamps, with `jitterUs` alternating) a 15 fps gate keeps. */
function kept(fps: number, n: number, jitterUs = 0): number {
  const gate = new FrameGate(LOW_CAMERA.frameRate);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (gate.keep(Math.round((i * 1e6) / fps + (i % 2 ? jitterUs : -jitterUs)))) count++;
  }
  return count;
}

Deno.test("FrameGate keeps 15 frames a second of a 20, 30 or 60 fps camera, evenly", () => {
  assert.deepEqual(LOW_CAMERA, { width: 320, height: 240, frameRate: 15 });
  // Ten seconds each: 150 frames, give or take the one at the boundary.
  for (const fps of [20, 30, 60]) {
    const n = kept(fps, fps * 10);
    assert.ok(n >= 149 && n <= 151, `${n} of ${fps * 10}`);
  }
});

Deno.test("FrameGate keeps every frame of a slower or jittery 15 fps camera, and no burst after a gap", () => {
  assert.equal(kept(10, 100), 100);
  assert.equal(kept(15, 150, 3_000), 150);
  const gate = new FrameGate(15);
  assert.equal(gate.keep(0), true);
  assert.equal(gate.keep(5e6), true, "after a 5 s gap");
  assert.equal(gate.keep(5e6 + 10_000), false, "not a catch-up burst");
  assert.equal(gate.keep(5e6 + 66_667), true);
});

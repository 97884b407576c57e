import assert from "node:assert/strict";
import { STILL_AFTER_STEP_DOWN_MS, stillDelayMs } from "./still_delay.ts";

Deno.test("the camera still waits after a step down to a profile that shows it, not otherwise", () => {
  assert.equal(stillDelayMs("high", "low"), STILL_AFTER_STEP_DOWN_MS);
  assert.equal(stillDelayMs("medium", "low"), STILL_AFTER_STEP_DOWN_MS);
  assert.equal(stillDelayMs("ultra-low", "low"), 0, "a step up: at once");
  assert.equal(stillDelayMs("low", "low"), 0);
  assert.equal(stillDelayMs("high", "medium"), 0, "medium shows camera-low video, no still");
  assert.equal(stillDelayMs("low", "ultra-low"), 0, "voice only: no still to fetch");
});

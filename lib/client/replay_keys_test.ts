import assert from "node:assert/strict";
import { clampSpeed, keyAction, keyTarget } from "./replay_keys.ts";

Deno.test("keyAction(): space toggles, arrows step 5 s, fields keep their keys", () => {
  assert.deepEqual(keyAction(" "), { kind: "toggle" });
  assert.deepEqual(keyAction("ArrowLeft"), { kind: "seek-by", ms: -5000 });
  assert.deepEqual(keyAction("ArrowRight", keyTarget("INPUT", "range")), {
    kind: "seek-by",
    ms: 5000,
  });
  assert.equal(keyAction(" ", keyTarget("INPUT", "text")), null);
  assert.equal(keyAction(" ", keyTarget("BUTTON")), null, "space clicks the focused button");
  assert.deepEqual(keyAction("ArrowLeft", keyTarget("BUTTON")), { kind: "seek-by", ms: -5000 });
  assert.equal(keyAction("x"), null);
});

Deno.test("clampSpeed() keeps speeds within 0.75–2×", () => {
  assert.equal(clampSpeed(3), 2);
  assert.equal(clampSpeed(0.1), 0.75);
  assert.equal(clampSpeed(Number.NaN), 1);
  assert.equal(clampSpeed(1.5), 1.5);
});

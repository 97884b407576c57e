import assert from "node:assert/strict";
import { boxNamed, fitInside, pickRendition, RENDITION_BOXES } from "./renditions.ts";

Deno.test("fitInside() keeps the aspect and fills one side of the box", () => {
  assert.deepEqual(fitInside({ w: 1920, h: 1080 }, { w: 800, h: 600 }), { w: 800, h: 450 });
  assert.deepEqual(fitInside({ w: 595, h: 842 }, { w: 1280, h: 720 }), { w: 509, h: 720 });
  assert.deepEqual(fitInside({ w: 400, h: 300 }, { w: 1920, h: 1080 }), { w: 1440, h: 1080 });
});

Deno.test("boxNamed() knows the four profile boxes only", () => {
  assert.deepEqual(RENDITION_BOXES.map((b) => boxNamed(`${b.w}x${b.h}`)), RENDITION_BOXES);
  assert.equal(boxNamed("640x480"), undefined);
});

Deno.test("pickRendition() takes the smallest image that is not upscaled in the area", () => {
  const r = RENDITION_BOXES.map((b) => fitInside({ w: 16, h: 9 }, b));
  assert.equal(pickRendition(r, { w: 400, h: 400 })?.w, 800);
  assert.equal(pickRendition(r, { w: 1000, h: 2000 })?.w, 1024);
  assert.equal(pickRendition(r, { w: 1200, h: 675 })?.w, 1280);
  assert.equal(pickRendition(r, { w: 3840, h: 2160 })?.w, 1920);
  // A short, wide area: height decides how wide the slide is drawn.
  assert.equal(pickRendition(r, { w: 3000, h: 400 })?.w, 800);
  assert.equal(pickRendition([], { w: 1, h: 1 }), undefined);
});

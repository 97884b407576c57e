import assert from "node:assert/strict";
import { slideKeyAction } from "./slide_keys.ts";

Deno.test("slideKeyAction(): arrows and PageUp/PageDown move slides", () => {
  assert.equal(slideKeyAction({ key: "PageDown" }), "next");
  assert.equal(slideKeyAction({ key: "ArrowRight", target: { tagName: "BODY" } }), "next");
  assert.equal(slideKeyAction({ key: "PageUp" }), "previous");
  assert.equal(slideKeyAction({ key: "ArrowLeft" }), "previous");
  assert.equal(slideKeyAction({ key: "Enter" }), null);
});

Deno.test("slideKeyAction(): not while typing in a field, nor with a modifier", () => {
  for (const tagName of ["INPUT", "TEXTAREA", "SELECT"]) {
    assert.equal(slideKeyAction({ key: "ArrowRight", target: { tagName } }), null);
  }
  assert.equal(
    slideKeyAction({ key: "PageDown", target: { tagName: "DIV", isContentEditable: true } }),
    null,
  );
  assert.equal(slideKeyAction({ key: "ArrowLeft", altKey: true }), null);
  assert.equal(slideKeyAction({ key: "ArrowRight", shiftKey: true }), null);
});

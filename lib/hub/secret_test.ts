import { equal, ok } from "node:assert/strict";
import { base64url, constantTimeEqual, newRoomId, newRoomKey } from "./secret.ts";
import { fakeRandom } from "./_testing.ts";

Deno.test("constantTimeEqual() is true only for identical strings", () => {
  ok(constantTimeEqual("abc", "abc"));
  ok(constantTimeEqual("", ""));
  equal(constantTimeEqual("abd", "abc"), false);
  equal(constantTimeEqual("ab", "abc"), false);
  equal(constantTimeEqual("abcd", "abc"), false);
  equal(constantTimeEqual("", "abc"), false);
  equal(constantTimeEqual("abc\0", "abc"), false);
  equal(constantTimeEqual("\0\0\0", ""), false);
});

Deno.test("base64url() matches btoa with the URL-safe alphabet and no padding", () => {
  const random = fakeRandom(5);
  for (let n = 0; n < 40; n++) {
    const bytes = random(new Uint8Array(n));
    const expected = btoa(String.fromCharCode(...bytes))
      .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    equal(base64url(bytes), expected);
  }
});

Deno.test("newRoomId() and newRoomKey() draw from the injected random source", () => {
  equal(newRoomId(fakeRandom(1)), newRoomId(fakeRandom(1)));
  equal(newRoomId(fakeRandom(1)).length, 12);
  equal(newRoomKey(fakeRandom(1)).length, 24);
  ok(newRoomKey() !== newRoomKey());
});

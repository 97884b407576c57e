import { deepEqual, equal, throws } from "node:assert/strict";
import { UserError } from "../errors.ts";
import { cleanChatText, guestName, viewerName } from "./text.ts";

Deno.test("cleanChatText() trims and turns control characters into spaces", () => {
  equal(cleanChatText("  hello\tworld \n"), "hello world");
  equal(cleanChatText("a\u202eb"), "ab", "bidi overrides go");
  equal(cleanChatText("<b>bold</b>"), "<b>bold</b>", "markup is kept as text");
});

Deno.test("cleanChatText() refuses empty and over-long messages with a reason", () => {
  throws(
    () => cleanChatText("   "),
    (err: Error) => err instanceof UserError && /empty/.test(err.message),
  );
  equal(cleanChatText("x".repeat(500)).length, 500);
  throws(
    () => cleanChatText("x".repeat(501)),
    (err: Error) => err instanceof UserError && /at most 500 characters/.test(err.message),
  );
});

Deno.test("viewerName() cleans a name and falls back to a guest name", () => {
  deepEqual(viewerName("  Ada   Lovelace ", "abcd1234"), { name: "Ada Lovelace" });
  deepEqual(viewerName(undefined, "abcd1234"), { name: "Guest-abcd" });
  deepEqual(viewerName(" \t ", "abcd1234"), { name: "Guest-abcd" });
  equal(guestName("ffff0000"), "Guest-ffff");
});

Deno.test("viewerName() does not let a viewer pass for the presenter", () => {
  const { name, note } = viewerName("presenter", "abcd1234");
  equal(name, "Guest-abcd");
  equal(note, 'the name "presenter" is reserved; you appear as Guest-abcd');
});

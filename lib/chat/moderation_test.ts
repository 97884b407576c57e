import { equal } from "node:assert/strict";
import { Moderation } from "./moderation.ts";

Deno.test("Moderation.mute() holds the participant and its name, case-insensitively", () => {
  const m = new Moderation();
  m.mute("p1", "Troll");
  equal(m.isMuted("p1", "Other"), true);
  equal(m.isMuted("p2", "troll"), true, "a reconnect under the same name stays muted");
  equal(m.isMuted("p3", "Ann"), false);
});

Deno.test("Moderation.markDeleted() is true once per message", () => {
  const m = new Moderation();
  equal(m.markDeleted("7"), true);
  equal(m.markDeleted("7"), false);
  equal(m.isDeleted("7"), true);
  equal(m.isDeleted("8"), false);
});

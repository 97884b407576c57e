import { deepEqual } from "node:assert/strict";
import { chooseExpired, type StoredRecording } from "./retention.ts";

const DAY = 86_400_000;
const NOW = 100 * DAY;
const rec = (id: string, startDay: number, bytes: number, live = false): StoredRecording => ({
  id,
  startedAt: startDay * DAY,
  endedAt: live ? null : startDay * DAY + 3_600_000,
  bytes,
});

Deno.test("chooseExpired() deletes recordings finished more than keepDays ago", () => {
  const list = [rec("new", 95, 1), rec("old", 60, 1), rec("older", 50, 1)];
  deepEqual(chooseExpired(list, { keepDays: 30, maxBytes: 0 }, NOW), ["older", "old"]);
  deepEqual(chooseExpired(list, { keepDays: 0, maxBytes: 0 }, NOW), []);
});

Deno.test("chooseExpired() deletes the oldest until the total fits, never a live one", () => {
  const list = [rec("a", 90, 50, true), rec("b", 91, 30), rec("c", 92, 30), rec("d", 93, 30)];
  // 140 bytes, limit 90: a is the oldest but live (kept), so b then c go.
  deepEqual(chooseExpired(list, { keepDays: 0, maxBytes: 90 }, NOW), ["b", "c"]);
  deepEqual(chooseExpired(list, { keepDays: 0, maxBytes: 1000 }, NOW), []);
});

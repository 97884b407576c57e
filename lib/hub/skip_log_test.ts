import { deepEqual, equal } from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { SkipLog } from "./skip_log.ts";

Deno.test("skips of many viewers make one line per room per second", () => {
  const log = memoryLogger();
  const skips = new SkipLog("room R", log);
  const viewers = Array.from({ length: 1000 }, () => ({}));
  viewers.forEach((v, i) => skips.note(v, `viewer ${i}`, 2, 0));
  // The first skip is logged at once; the other 999 wait for the next second.
  deepEqual(log.lines, ["warn room R: 1 viewer too slow, skipped 2 segments (viewer 0)"]);
  viewers.forEach((v, i) => skips.note(v, `viewer ${i}`, 1, 500));
  skips.flush(999);
  equal(log.lines.length, 1);
  skips.flush(1000);
  deepEqual(log.lines.slice(1), [
    "warn room R: 1000 viewers too slow, skipped 2998 segments (viewer 1 and others)",
  ]);
  skips.flush(5000);
  equal(log.lines.length, 2, "nothing new, nothing logged");
});

Deno.test("a skip of zero is not noted", () => {
  const log = memoryLogger();
  const skips = new SkipLog("room R", log);
  skips.note({}, "v", 0, 0);
  skips.flush(10_000);
  deepEqual(log.lines, []);
});

import assert from "node:assert/strict";
import { locate, masterOrder } from "./replay_timeline.ts";
import type { RecordingTrack } from "../replay/recording.ts";

const part = (offsetMs: number, durationMs: number, url = `p${offsetMs}`) => ({
  url,
  mime: "video/webm",
  offsetMs,
  durationMs,
  bytes: 1,
});
const track = (name: string, parts = [part(200, 10_000), part(15_000, 0)]): RecordingTrack => ({
  name,
  mime: "video/webm",
  bytes: 2,
  url: parts[0].url,
  parts,
});

Deno.test("locate() maps timeline ms to a part and its media time; after a part it holds", () => {
  const t = track("camera");
  assert.equal(locate(t, 100), null, "before the first part");
  const gap = locate(t, 12_200)!;
  assert.deepEqual([gap.index, gap.held, gap.mediaS], [0, true, 9.95], "last frame of part 1");
  assert.equal(locate(t, 5200)?.held, false);
  const a = locate(t, 5200)!;
  assert.equal(a.index, 0);
  assert.equal(a.mediaS, 5);
  const b = locate(t, 99_000)!;
  assert.equal(b.index, 1, "a part of unknown length runs on");
  assert.equal(b.mediaS, 84);
});

Deno.test("masterOrder() puts audio first, then camera", () => {
  assert.deepEqual(masterOrder([track("whiteboard"), track("camera"), track("audio")]), [
    "audio",
    "camera",
    "whiteboard",
  ]);
});

Deno.test("locate() handles a part whose media time starts before the timeline (offset < 0)", () => {
  const t = track("camera", [part(-300, 10_000)]);
  assert.equal(locate(t, 0)?.mediaS, 0.3);
  assert.equal(locate(t, 9000)?.mediaS, 9.3);
});

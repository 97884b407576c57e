import assert from "node:assert/strict";
import { DISK_LAG_MS, DvrWindow, openEnded, ReloadPolicy, versioned } from "./dvr.ts";
import { parseRecording } from "../replay/recording.ts";

Deno.test("DvrWindow moves its live edge on with time between updates", () => {
  let now = 1000;
  const w = new DvrWindow(() => now);
  w.update(20_000);
  now += 1500;
  assert.equal(w.edgeMs, 21_500);
  assert.equal(w.replayableMs, 21_500 - DISK_LAG_MS);
  assert.equal(w.atEdge(19_000), true, "closer than the disk lag is live");
  assert.equal(w.atEdge(10_000), false);
  w.update(21_000);
  assert.equal(w.edgeMs, 21_000);
  w.update(30_000, false);
  now += 5000;
  assert.equal(w.edgeMs, 30_000, "a finished recording does not grow");
  assert.equal(w.replayableMs, 30_000, "and is on disk to its end");
});

Deno.test("openEnded() lets the last part of each track run on", () => {
  const rec = openEnded(
    parseRecording({
      id: "x",
      tracks: [{
        name: "camera",
        parts: [{ url: "a", offsetMs: 0, durationMs: 5000 }, {
          url: "b",
          offsetMs: 6000,
          durationMs: 900,
        }],
      }],
    })!,
  );
  assert.deepEqual(rec.tracks[0].parts.map((p) => p.durationMs), [5000, 0]);
});

Deno.test("versioned() adds a version only after a reload", () => {
  assert.equal(versioned("/r/a.webm", 0), "/r/a.webm");
  assert.equal(versioned("/r/a.webm", 2), "/r/a.webm?v=2");
  assert.equal(versioned("/r/a.webm?x=1", 2), "/r/a.webm?x=1&v=2");
});

Deno.test("ReloadPolicy reopens a track at once, then backs off while it keeps running out", () => {
  let now = 0;
  const policy = new ReloadPolicy(() => now);
  assert.deepEqual(policy.due(["whiteboard"]), ["whiteboard"]);
  now = 400;
  assert.deepEqual(policy.due(["whiteboard", "camera"]), ["camera"], "whiteboard waits 0.5 s");
  now = 600;
  assert.deepEqual(policy.due(["whiteboard"]), ["whiteboard"]);
  now = 1200;
  assert.deepEqual(policy.due(["whiteboard"]), [], "then 1 s");
  now = 1700;
  assert.deepEqual(policy.due(["whiteboard"]), ["whiteboard"]);
  now = 1800;
  assert.deepEqual(policy.due([]), [], "it plays again");
  assert.deepEqual(policy.due(["whiteboard"]), ["whiteboard"], "and starts afresh");
});

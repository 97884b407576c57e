import assert from "node:assert/strict";
import {
  formatClock,
  parseRecording,
  parseRecordingList,
  recordingDurationMs,
} from "./recording.ts";

const BODY = {
  id: "AbCdEfGhIjKlMnOpQrStUv",
  roomId: "room1",
  title: "Algebra",
  startedAt: 1_700_000_000_000,
  durationSeconds: 20,
  live: false,
  unlisted: false,
  tracks: [
    {
      name: "camera",
      mime: 'video/webm; codecs="vp8"',
      bytes: 30,
      url: "/recordings/x/camera.webm",
      parts: [
        {
          url: "/recordings/x/camera-2.webm",
          mime: "video/webm",
          offsetMs: 12_000,
          durationMs: 9500,
          bytes: 10,
        },
        {
          url: "/recordings/x/camera.webm",
          mime: "video/webm",
          offsetMs: 100,
          durationMs: 10_000,
          bytes: 20,
        },
      ],
    },
    { name: "../etc", url: "/x", parts: [] },
    { name: "whiteboard", url: "/recordings/x/whiteboard.webm", mime: "video/webm" },
  ],
};

Deno.test("parseRecording() keeps valid tracks, sorts parts, and fills a part from a bare url", () => {
  const rec = parseRecording(BODY)!;
  assert.deepEqual(rec.tracks.map((t) => t.name), ["camera", "whiteboard"]);
  assert.deepEqual(rec.tracks[0].parts.map((p) => p.offsetMs), [100, 12_000]);
  assert.equal(rec.tracks[1].parts[0].url, "/recordings/x/whiteboard.webm");
  assert.equal(rec.replayUrl, "/r/AbCdEfGhIjKlMnOpQrStUv");
  assert.equal(rec.downloadUrl, "/recordings/AbCdEfGhIjKlMnOpQrStUv/lesson.zip");
  assert.equal(parseRecording({ title: "no id" }), null);
});

Deno.test("recordingDurationMs() is the later of the stated duration and the last part's end", () => {
  assert.equal(recordingDurationMs(parseRecording(BODY)!), 21_500);
  assert.equal(recordingDurationMs(parseRecording({ ...BODY, durationSeconds: 30 })!), 30_000);
});

Deno.test("parseRecordingList() reads an array or {recordings}", () => {
  assert.equal(parseRecordingList([BODY, { nope: 1 }]).length, 1);
  assert.equal(parseRecordingList({ recordings: [BODY] }).length, 1);
  assert.deepEqual(parseRecordingList("x"), []);
});

Deno.test("formatClock() writes m:ss and h:mm:ss", () => {
  assert.equal(formatClock(0), "0:00");
  assert.equal(formatClock(65.9), "1:05");
  assert.equal(formatClock(3 * 3600 + 7 * 60 + 9), "3:07:09");
});

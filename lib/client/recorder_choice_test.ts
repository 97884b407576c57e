import assert from "node:assert/strict";
import { chooseRecorderType } from "./recorder_choice.ts";

const supports = (...types: string[]) => (t: string) => types.includes(t);
const av = { video: true, audio: true };

Deno.test("chooseRecorderType() prefers WebM VP8 + Opus where supported (Chromium)", () => {
  const chromium = supports(
    "video/webm;codecs=vp8,opus",
    "video/webm;codecs=vp9,opus",
    "video/mp4;codecs=avc1,mp4a",
  );
  assert.deepEqual(chooseRecorderType(av, chromium), {
    mimeType: "video/webm;codecs=vp8,opus",
    container: "webm",
  });
});

Deno.test("chooseRecorderType() falls back to MP4 H.264 without WebM (Safari)", () => {
  const safari = supports("video/mp4;codecs=avc1,mp4a", "video/mp4", "audio/mp4");
  assert.deepEqual(chooseRecorderType(av, safari), {
    mimeType: "video/mp4;codecs=avc1,mp4a",
    container: "mp4",
  });
});

Deno.test("chooseRecorderType() picks a video-only type for the whiteboard", () => {
  const choice = chooseRecorderType(
    { video: true, audio: false },
    supports("video/webm;codecs=vp9"),
  );
  assert.equal(choice?.mimeType, "video/webm;codecs=vp9");
});

Deno.test("chooseRecorderType() picks an audio-only type for a mic without camera", () => {
  const choice = chooseRecorderType(
    { video: false, audio: true },
    supports("audio/webm;codecs=opus", "video/webm;codecs=vp8,opus"),
  );
  assert.deepEqual(choice, { mimeType: "audio/webm;codecs=opus", container: "webm" });
});

Deno.test("chooseRecorderType() returns null when nothing fits or for an empty track", () => {
  assert.equal(chooseRecorderType(av, () => false), null);
  assert.equal(chooseRecorderType({ video: false, audio: false }, () => true), null);
});

Deno.test("chooseRecorderType() treats a throwing isTypeSupported as unsupported", () => {
  const choice = chooseRecorderType(av, (t) => {
    if (t.includes("vp8")) throw new Error("bad type");
    return t.includes("vp9");
  });
  assert.equal(choice?.mimeType, "video/webm;codecs=vp9,opus");
});

import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import built from "../../_build/assets.gen.ts";
import { parseRecording } from "./recording.ts";
import { parseEvents } from "./events.ts";
import {
  fileName,
  indexHtml,
  lessonEntries,
  lessonScript,
  offlineRecording,
  zipFileName,
} from "./lesson_export.ts";
import { zipStream } from "./zip_stream.ts";

const REC = parseRecording({
  id: "abc",
  title: 'Algebra </script><b>"1"</b>',
  durationSeconds: 10,
  tracks: [{
    name: "camera",
    parts: [
      { url: "/recordings/abc/camera.webm", offsetMs: 0, durationMs: 4000 },
      { url: "/recordings/abc/camera-2.webm", offsetMs: 5000, durationMs: 5000 },
    ],
  }],
})!;
const EVENTS = parseEvents({
  events: [{ t: 1000, type: "chat", id: "1", name: "A", text: "</script>hi" }],
});

Deno.test("offlineRecording() points every part at a file beside index.html", () => {
  const rec = offlineRecording(REC);
  assert.deepEqual(rec.tracks[0].parts.map((p) => p.url), ["camera.webm", "camera-2.webm"]);
  assert.equal(rec.downloadUrl, "");
  assert.equal(fileName("/recordings/abc/..%2Fmeta.json"), "");
});

Deno.test("lesson.js and index.html cannot be broken out of by a title or a message", () => {
  const js = lessonScript(REC, EVENTS);
  assert.ok(!js.includes("</script>"));
  const data = new Function("globalThis", js + "return globalThis.CHALKCAST_LESSON;")({});
  assert.equal(data.recording.title, REC.title);
  assert.equal(data.events[0].text, "</script>hi");
  assert.ok(!indexHtml(REC).includes("<b>"));
  assert.equal(zipFileName(REC), "Algebra-script-b-1-b.zip");
});

Deno.test("lessonEntries() zip into a player, its data, chat.vtt, events.json and the media", async () => {
  const media = [
    { name: "camera.webm", open: () => Promise.resolve(new Blob(["AAAA"]).stream()) },
    { name: "camera-2.webm", open: () => Promise.resolve(new Blob(["BBBB"]).stream()) },
  ];
  const zip = new Uint8Array(
    await new Response(zipStream(lessonEntries(REC, EVENTS, media, built))).arrayBuffer(),
  );
  const files = unzipSync(zip);
  assert.deepEqual(Object.keys(files).sort(), [
    "camera-2.webm",
    "camera.webm",
    "chat.css",
    "chat.vtt",
    "events.json",
    "index.html",
    "lesson.js",
    "player.js",
    "replay.css",
    "styles.css",
  ]);
  const dec = new TextDecoder();
  assert.match(dec.decode(files["index.html"]), /<script src="lesson\.js"><\/script>/);
  assert.ok(!dec.decode(files["player.js"]).includes("import "), "a classic script");
  assert.match(dec.decode(files["chat.vtt"]), /<v A>&lt;\/script&gt;hi/);
  assert.equal(JSON.parse(dec.decode(files["events.json"])).events.length, 1);
});

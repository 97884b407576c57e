import assert from "node:assert/strict";
import { chapterAt, chapters, chatLines, parseEvents, visibleChat } from "./events.ts";
import { chatVtt } from "./chat_vtt.ts";

const EVENTS = parseEvents({
  events: [
    { t: 0, type: "title", title: "Algebra" },
    { t: 0, type: "live", live: true },
    { t: 4000, type: "chat", id: "c1", name: "Ann", text: "hello" },
    { t: 9000, type: "chat", id: "c2", name: "Bob", text: "<b>spam</b>" },
    { t: 7000, type: "slide", deck: "d1", index: 2, count: 12 },
    { t: 200, type: "slide", deck: null, index: 0, count: 0 },
    { t: 12_000, type: "chat-deleted", id: "c2" },
    { t: 15_000, type: "title", title: "Algebra: part 2" },
    { t: "x", type: "chat" },
    { type: "chat", text: "no time" },
    { t: 20_000, type: "chat", id: "c3", name: "", text: "second\n\nline --> end" },
  ],
});

Deno.test("parseEvents() sorts by time and drops malformed events", () => {
  assert.deepEqual(EVENTS.map((e) => e.t), [0, 0, 200, 4000, 7000, 9000, 12_000, 15_000, 20_000]);
  assert.deepEqual(parseEvents(null), []);
  assert.deepEqual(parseEvents([{ t: -5, type: "x" }]), [{ t: 0, type: "x" }]);
});

Deno.test("visibleChat() shows messages once the playhead passes them, until deleted", () => {
  const lines = chatLines(EVENTS);
  const ids = (ms: number) => visibleChat(lines, ms).map((l) => l.id);
  assert.deepEqual(ids(3999), []);
  assert.deepEqual(ids(4000), ["c1"]);
  assert.deepEqual(ids(9500), ["c1", "c2"]);
  assert.deepEqual(ids(12_000), ["c1"], "deleted at 12 s");
  assert.deepEqual(ids(25_000), ["c1", "c3"]);
  assert.equal(lines[2].name, "guest");
});

Deno.test("chapters() start under the first title and follow title and slide changes", () => {
  const list = chapters(EVENTS, "Fallback");
  assert.deepEqual(list.map((c) => [c.t, c.label, c.kind]), [
    [0, "Algebra", "start"],
    [7000, "Slide 3 of 12", "slide"],
    [15_000, "Algebra: part 2", "title"],
  ]);
  assert.equal(chapterAt(list, 6999), 0);
  assert.equal(chapterAt(list, 7000), 1);
  assert.equal(chapterAt(list, 99_000), 2);
  assert.deepEqual(chapters([], "Fallback").map((c) => c.label), ["Fallback"]);
});

Deno.test("chatVtt() writes one escaped cue per message, cut short by a deletion", () => {
  const vtt = chatVtt(chatLines(EVENTS));
  assert.ok(vtt.startsWith("WEBVTT\n\n"));
  assert.match(vtt, /00:00:04\.000 --> 00:00:09\.000\n<v Ann>hello/);
  assert.match(vtt, /00:00:09\.000 --> 00:00:12\.000\n<v Bob>&lt;b&gt;spam&lt;\/b&gt;/);
  assert.match(vtt, /00:00:20\.000 --> 00:00:30\.000\n<v guest>second\nline --&gt; end\n/);
  assert.equal(vtt.split("-->").length - 1, 3, "no cue text can hold a timing arrow");
});

/**
 * Entry of the exported lesson's player (`player.js` in `lesson.zip`): a
 * classic script, because browsers refuse module scripts from `file://`. The
 * lesson's data comes from `lesson.js`, loaded before it, which sets
 * `globalThis.CHALKCAST_LESSON` (a fetch of JSON from `file://` is refused
 * too). Renders the same Replay component as `/r/:id`.
 */
import { h, render } from "preact";
import Replay from "../../islands/Replay.tsx";
import { parseRecording } from "../replay/recording.ts";
import { parseEvents } from "../replay/events.ts";

const data = (globalThis as { CHALKCAST_LESSON?: { recording?: unknown; events?: unknown } })
  .CHALKCAST_LESSON;
const root = document.getElementById("app")!;
const recording = parseRecording(data?.recording);
if (recording) {
  render(h(Replay, { recording, events: parseEvents(data?.events), offline: true }), root);
} else {
  root.textContent = "lesson.js is missing or damaged: unzip the whole lesson and open index.html.";
}

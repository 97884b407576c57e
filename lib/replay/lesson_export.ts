/**
 * The one-file lesson (`GET /recordings/:id/lesson.zip`): what goes in it and
 * in what order. The archive replays offline from `file://`:
 *
 * - `index.html`: the player page; `player.js` (the Replay component bundled
 *   as a classic script at build time) and `lesson.js` (the recording and its
 *   events as a global, since `file://` refuses fetches of JSON);
 * - `styles.css`, `chat.css`, `replay.css`;
 * - each track's file(s) under their own names (`camera.webm`, `camera-2.webm`);
 * - `chat.vtt` (the chat as subtitles) and `events.json` (the raw timeline).
 *
 * Pure apart from the `open` callbacks the caller supplies for media files.
 */
import type { BuiltAssets } from "../web/assets.ts";
import { chatVtt } from "./chat_vtt.ts";
import { chatLines, type ReplayEvent } from "./events.ts";
import type { RecordingInfo } from "./recording.ts";
import type { ZipEntry } from "./zip_stream.ts";

/** Where the build puts the offline player's script among the assets. */
export const OFFLINE_PLAYER_PATH = "/_chalk/offline/player.js";
const STYLES = ["styles.css", "chat.css", "replay.css"];

/** The last path segment of a part URL: its file name in the archive. */
export function fileName(url: string): string {
  const name = decodeURIComponent(url.split(/[?#]/)[0].split("/").pop() ?? "");
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name) ? name : "";
}

/** The recording as the offline player sees it: every URL a file next to index.html. */
export function offlineRecording(rec: RecordingInfo): RecordingInfo {
  return {
    ...rec,
    live: false,
    tracks: rec.tracks.map((t) => {
      const parts = t.parts.map((p) => ({ ...p, url: fileName(p.url) }));
      return { ...t, url: parts[0]?.url ?? "", parts };
    }),
    eventsUrl: "events.json",
    replayUrl: "index.html",
    downloadUrl: "",
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/** The player page. Nothing in it is fetched: scripts and styles are files beside it. */
export function indexHtml(rec: RecordingInfo): string {
  const title = escapeHtml(rec.title);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title} · Chalkcast lesson</title>
${STYLES.map((s) => `<link rel="stylesheet" href="${s}">`).join("\n")}
</head>
<body>
<main id="app"><noscript>This lesson's player needs JavaScript. The videos are the .webm/.mp4
files next to this page; the chat is chat.vtt.</noscript></main>
<script src="lesson.js"></script>
<script src="player.js"></script>
</body>
</html>
`;
}

/** `lesson.js`: the data the player reads, as a global. */
export function lessonScript(rec: RecordingInfo, events: readonly ReplayEvent[]): string {
  // JSON is valid JavaScript; "<" is escaped so that no "</script>" can appear in it.
  const json = JSON.stringify({ recording: offlineRecording(rec), events })
    .replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return `globalThis.CHALKCAST_LESSON = ${json};\n`;
}

/** A media file of the recording, opened when the archive reaches it. */
export interface MediaFile {
  name: string;
  open: () => Promise<ReadableStream<Uint8Array>>;
}

/** Every entry of the archive, small files first so the player is there even if cut short. */
export function lessonEntries(
  rec: RecordingInfo,
  events: readonly ReplayEvent[],
  media: readonly MediaFile[],
  assets: BuiltAssets,
): ZipEntry[] {
  const enc = new TextEncoder();
  const text = (path: string) => assets.files.find((f) => f.path === path)?.text;
  const player = text(OFFLINE_PLAYER_PATH);
  if (player === undefined) {
    throw new Error(`the offline player (${OFFLINE_PLAYER_PATH}) is missing: run deno task build`);
  }
  const entries: ZipEntry[] = [
    { name: "index.html", data: enc.encode(indexHtml(rec)) },
    { name: "lesson.js", data: enc.encode(lessonScript(rec, events)) },
    { name: "player.js", data: enc.encode(player) },
  ];
  for (const css of STYLES) {
    const body = text(`/${css}`);
    if (body !== undefined) entries.push({ name: css, data: enc.encode(body) });
  }
  entries.push(
    { name: "chat.vtt", data: enc.encode(chatVtt(chatLines(events))) },
    { name: "events.json", data: enc.encode(JSON.stringify({ events }, null, 1)) },
  );
  for (const m of media) entries.push({ name: m.name, open: m.open });
  return entries;
}

/** `Content-Disposition` file name: the title made safe, e.g. "Algebra-101.zip". */
export function zipFileName(rec: RecordingInfo): string {
  const slug = rec.title.normalize("NFKD").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${slug || "lesson"}.zip`;
}

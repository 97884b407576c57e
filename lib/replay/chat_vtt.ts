/**
 * The lesson's chat as WebVTT (`chat.vtt` in the export): one cue per message
 * from when it was posted until the next message (at most 10 s, at least 2 s),
 * or until it was deleted. Players show it as subtitles; text is escaped so a
 * message never becomes markup.
 */
import type { ChatLine } from "./events.ts";

const MAX_MS = 10_000;
const MIN_MS = 2_000;

function stamp(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  const f = t % 1000;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(h)}:${two(m)}:${two(s)}.${String(f).padStart(3, "0")}`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    // "-->" would end a cue's timing line early; a blank line would end the cue.
    .replace(/\r?\n\s*\r?\n/g, "\n").replace(/-->/g, "--&gt;");
}

/** The WebVTT text for `lines` (as from `chatLines`). */
export function chatVtt(lines: readonly ChatLine[]): string {
  const out = ["WEBVTT", ""];
  lines.forEach((line, i) => {
    const next = lines[i + 1]?.t ?? Infinity;
    let end = Math.min(line.t + MAX_MS, Math.max(next, line.t + MIN_MS));
    if (line.deletedAt !== null) end = Math.min(end, Math.max(line.deletedAt, line.t + 1));
    out.push(
      String(i + 1),
      `${stamp(line.t)} --> ${stamp(end)}`,
      `<v ${escape(line.name).replace(/>/g, "")}>${escape(line.text)}`,
      "",
    );
  });
  return out.join("\n");
}

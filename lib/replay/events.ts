/**
 * The recording's event timeline (`events.json`: `{events: [{t, type, ...}]}`,
 * `t` in ms on the recording's clock) turned into what a replay shows: the
 * chat as it happened (a deleted message disappears when it was deleted) and
 * chapters at title and slide changes. Pure, shared by the replay page, the
 * offline player and the export's `chat.vtt`.
 */

export interface ReplayEvent {
  /** Ms on the recording's timeline (0 = recording start). */
  t: number;
  type: string;
  [field: string]: unknown;
}

/** A chat message on the timeline. */
export interface ChatLine {
  id: string;
  t: number;
  name: string;
  text: string;
  /** When a moderator deleted it, or null. */
  deletedAt: number | null;
}

export interface Chapter {
  t: number;
  label: string;
  kind: "start" | "title" | "slide";
}

/** The events of an `events.json` body (or a bare array), sorted by time; malformed ones dropped. */
export function parseEvents(body: unknown): ReplayEvent[] {
  const list = Array.isArray(body) ? body : (body as { events?: unknown })?.events;
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is ReplayEvent =>
      typeof e?.type === "string" && typeof e.t === "number" && Number.isFinite(e.t)
    )
    .map((e) => ({ ...e, t: Math.max(0, e.t) }))
    .sort((a, b) => a.t - b.t);
}

/** Every chat message with the time it was deleted, if it was. */
export function chatLines(events: readonly ReplayEvent[]): ChatLine[] {
  const lines: ChatLine[] = [];
  const byId = new Map<string, ChatLine>();
  for (const e of events) {
    if (e.type === "chat" && typeof e.text === "string") {
      const id = typeof e.id === "string" ? e.id : `t${e.t}-${lines.length}`;
      const line: ChatLine = {
        id,
        t: e.t,
        name: typeof e.name === "string" && e.name ? e.name : "guest",
        text: e.text,
        deletedAt: null,
      };
      lines.push(line);
      byId.set(id, line);
    } else if (e.type === "chat-deleted" && typeof e.id === "string") {
      const line = byId.get(e.id);
      if (line && line.deletedAt === null) line.deletedAt = e.t;
    }
  }
  return lines;
}

/** The messages on screen at `ms`: posted by then and not yet deleted. */
export function visibleChat(lines: readonly ChatLine[], ms: number): ChatLine[] {
  return lines.filter((l) => l.t <= ms && (l.deletedAt === null || l.deletedAt > ms));
}

/** "Slide 3 of 12", "Slide 3", or "Whiteboard" when no deck is shown (lib/slides events). */
function slideLabel(e: ReplayEvent): string {
  if (e.deck === null) return "Whiteboard";
  const i = typeof e.index === "number" ? e.index : typeof e.slide === "number" ? e.slide : null;
  if (i === null) return "Slide";
  return typeof e.count === "number" && e.count > 0
    ? `Slide ${i + 1} of ${e.count}`
    : `Slide ${i + 1}`;
}

/**
 * Chapters: the start (under the first title), then every change of title and
 * of slide. Repeats of the same label in a row are one chapter.
 */
export function chapters(events: readonly ReplayEvent[], title: string): Chapter[] {
  const out: Chapter[] = [];
  const first = events.find((e) => e.type === "title" && typeof e.title === "string");
  out.push({
    t: 0,
    label: first && first.t < 1000 ? String(first.title) : title || "Start",
    kind: "start",
  });
  for (const e of events) {
    let c: Chapter | null = null;
    if (e.type === "title" && typeof e.title === "string" && e.title) {
      c = { t: e.t, label: e.title, kind: "title" };
    } else if (e.type === "slide") {
      // The slide on show when the recording began is part of the start, not a chapter.
      if (e.t < 1000) continue;
      c = { t: e.t, label: slideLabel(e), kind: "slide" };
    }
    if (!c) continue;
    const last = out[out.length - 1];
    if (c.label === last.label) continue;
    if (c.t - last.t < 1000 && last.kind === "start") out[out.length - 1] = { ...c, t: 0 };
    else out.push(c);
  }
  return out;
}

/** The chapter playing at `ms` (index into `list`). */
export function chapterAt(list: readonly Chapter[], ms: number): number {
  let i = 0;
  while (i + 1 < list.length && list[i + 1].t <= ms) i++;
  return i;
}

/**
 * Which keys move slides: →, PageDown (what most presentation clickers send)
 * for next; ←, PageUp for previous. Never while the presenter types (chat,
 * title, any form field or editable text), nor with a modifier held. Pure.
 */

export interface KeyLike {
  key: string;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  target?: unknown;
}

const NEXT = new Set(["ArrowRight", "PageDown"]);
const PREVIOUS = new Set(["ArrowLeft", "PageUp"]);

/** "next", "previous", or null when the key is not for the slides. */
export function slideKeyAction(e: KeyLike): "next" | "previous" | null {
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  if (isTyping(e.target)) return null;
  if (NEXT.has(e.key)) return "next";
  if (PREVIOUS.has(e.key)) return "previous";
  return null;
}

function isTyping(target: unknown): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean } | null;
  if (!el || typeof el.tagName !== "string") return false;
  return el.isContentEditable === true || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

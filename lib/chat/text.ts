/**
 * What may be said and under which name. Chat text is cleaned rather than
 * refused where a person could not see the problem (a pasted tab, a bidi
 * override): control characters become spaces, invisible direction overrides
 * go, and the ends are trimmed. What is left must be 1 to 500 characters
 * (UTF-16 code units, as an input's `maxLength` counts). Pure.
 */
import { UserError } from "../errors.ts";
import { MAX_CHAT_TEXT, MAX_NAME } from "../protocol.ts";

/** The chat name of the presenter; no viewer may take it. */
export const PRESENTER_NAME = "Presenter";

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Bidi embeddings, overrides and isolates: they can make a line read as something else. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** The text as it will be stored and shown; UserError when empty or too long. */
export function cleanChatText(raw: string): string {
  const text = raw.replace(BIDI, "").replace(CONTROL, " ").trim();
  if (text === "") throw new UserError("a chat message cannot be empty; type something first");
  if (text.length > MAX_CHAT_TEXT) {
    throw new UserError(
      `a chat message has at most ${MAX_CHAT_TEXT} characters (this one has ${text.length}); shorten it`,
    );
  }
  return text;
}

/** "Guest-1a2b": the name of a viewer who did not pick one. */
export function guestName(participant: string): string {
  return `Guest-${participant.slice(0, 4)}`;
}

/**
 * A viewer's display name from `hello.name`: whitespace collapsed, at most
 * 40 characters. No name, or one that would pass for the presenter, gives
 * the guest name, with a note saying why when the viewer asked for another.
 */
export function viewerName(
  raw: string | undefined,
  participant: string,
): { name: string; note?: string } {
  const name = (raw ?? "").replace(BIDI, "").replace(CONTROL, " ").replace(/\s+/g, " ").trim()
    .slice(0, MAX_NAME);
  const guest = guestName(participant);
  if (name === "") return { name: guest };
  if (name.toLowerCase() === PRESENTER_NAME.toLowerCase()) {
    return { name: guest, note: `the name "${name}" is reserved; you appear as ${guest}` };
  }
  return { name };
}

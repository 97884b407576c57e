import { deepEqual, equal } from "node:assert/strict";
import type { ChatEntry } from "../protocol.ts";
import {
  type ChatState,
  cleanName,
  draftProblem,
  EMPTY_CHAT,
  loadName,
  MAX_CLIENT_MESSAGES,
  NAME_STORAGE_KEY,
  reduceChat,
  saveName,
} from "./chat_state.ts";

const entry = (id: string, from = "p2", text = `t${id}`): ChatEntry => ({
  id,
  from,
  name: "Ann",
  text,
  at: 1,
});

function welcomed(): ChatState {
  return reduceChat(EMPTY_CHAT, {
    type: "welcome",
    v: 1,
    role: "viewer",
    room: { id: "r", title: "T" },
    participant: "p1",
    name: "Bob",
  });
}

Deno.test("reduceChat() knows who we are from welcome", () => {
  deepEqual(welcomed().me, { participant: "p1", name: "Bob", role: "viewer" });
});

Deno.test("reduceChat() replaces the list on chat-history, so a reconnect does not duplicate", () => {
  let s = reduceChat(welcomed(), { type: "chat-history", messages: [entry("1"), entry("2")] });
  s = reduceChat(s, { type: "chat-history", messages: [entry("1"), entry("2"), entry("3")] });
  deepEqual(s.messages.map((m) => m.id), ["1", "2", "3"]);
});

Deno.test("reduceChat() appends chat once per id and removes deleted messages", () => {
  let s = welcomed();
  s = reduceChat(s, { type: "chat", ...entry("1") });
  s = reduceChat(s, { type: "chat", ...entry("1") });
  s = reduceChat(s, { type: "chat", ...entry("2") });
  deepEqual(s.messages.map((m) => m.id), ["1", "2"]);
  s = reduceChat(s, { type: "chat-deleted", id: "1" });
  deepEqual(s.messages.map((m) => m.id), ["2"]);
  equal(reduceChat(s, { type: "chat-deleted", id: "9" }), s);
});

Deno.test("reduceChat() keeps at most 200 messages", () => {
  let s = welcomed();
  for (let i = 1; i <= 250; i++) s = reduceChat(s, { type: "chat", ...entry(String(i)) });
  equal(s.messages.length, MAX_CLIENT_MESSAGES);
  equal(s.messages[0].id, "51");
});

Deno.test("reduceChat() shows chat refusals and muting as a notice, not media errors", () => {
  let s = welcomed();
  s = reduceChat(s, { type: "error", code: "rate-limited", message: "slow down" });
  equal(s.notice, "slow down");
  s = reduceChat(s, { type: "chat", ...entry("1", "p1") });
  equal(s.notice, null, "our own message going through clears the notice");
  s = reduceChat(s, { type: "error", code: "conflict", message: "track taken" });
  equal(s.notice, null);
  s = reduceChat(s, { type: "muted", message: "The presenter muted you" });
  equal(s.muted, true);
  equal(s.notice, "The presenter muted you");
});

Deno.test("draftProblem() catches empty and long drafts before sending", () => {
  equal(draftProblem("  "), "Type a message first.");
  equal(draftProblem("hi"), null);
  equal(draftProblem("x".repeat(501))?.includes("at most 500"), true);
});

Deno.test("display names are cleaned and kept in storage", () => {
  const map = new Map<string, string>();
  const storage = {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
  equal(loadName(storage), "");
  saveName(storage, "  Ada \t Lovelace ");
  equal(map.get(NAME_STORAGE_KEY), "Ada Lovelace");
  equal(loadName(storage), "Ada Lovelace");
  saveName(storage, " ");
  equal(loadName(storage), "");
  equal(cleanName("x".repeat(50)).length, 40);
  equal(loadName(undefined), "");
});

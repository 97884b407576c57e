import { deepEqual, equal } from "node:assert/strict";
import { ChatHistory, HISTORY_SIZE } from "./history.ts";
import type { ChatEntry } from "../protocol.ts";

const entry = (n: number): ChatEntry => ({
  id: String(n),
  from: "p1",
  name: "Ann",
  text: `message ${n}`,
  at: n,
});

Deno.test("ChatHistory keeps the last 100 messages, oldest first", () => {
  const history = new ChatHistory();
  for (let n = 1; n <= 130; n++) history.push(entry(n));
  equal(history.size, HISTORY_SIZE);
  const ids = history.list().map((e) => e.id);
  equal(ids[0], "31");
  equal(ids.at(-1), "130");
});

Deno.test("ChatHistory.remove() drops a kept message and reports unknown ids", () => {
  const history = new ChatHistory(3);
  [1, 2, 3].forEach((n) => history.push(entry(n)));
  equal(history.remove("2"), true);
  equal(history.remove("2"), false);
  equal(history.remove("99"), false);
  deepEqual(history.list().map((e) => e.id), ["1", "3"]);
});

Deno.test("ChatHistory.list() returns a copy", () => {
  const history = new ChatHistory();
  history.push(entry(1));
  history.list().pop();
  equal(history.size, 1);
});

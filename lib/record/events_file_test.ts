import { deepEqual } from "node:assert/strict";
import { parseEvents } from "./events_file.ts";

Deno.test("parseEvents() sorts by t and skips a partial last line and non-events", () => {
  const text = [
    '{"t":500,"type":"chat","at":2,"text":"hi"}',
    '{"t":0,"type":"title","at":1,"title":"Algebra"}',
    '"not an event"',
    '{"type":"no-t"}',
    '{"t":900,"type":"ink","at":3,"points":[1,2]}',
    '{"t":1200,"type":"cha',
  ].join("\n");
  deepEqual(parseEvents(text).map((e) => [e.t, e.type]), [[0, "title"], [500, "chat"], [
    900,
    "ink",
  ]]);
});

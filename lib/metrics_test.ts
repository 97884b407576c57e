import { equal, throws } from "node:assert/strict";
import { Counter, escapeLabelValue, Registry } from "./metrics.ts";

Deno.test("Registry.render() writes HELP, TYPE and samples in the text format", () => {
  const registry = new Registry();
  const chat = registry.counter("chat_messages_total", "Chat messages accepted.");
  registry.collect("rooms", "gauge", "Rooms now.", () => [{ value: 2 }]);
  chat.inc();
  chat.inc({}, 2);
  equal(
    registry.render(),
    [
      "# HELP chat_messages_total Chat messages accepted.",
      "# TYPE chat_messages_total counter",
      "chat_messages_total 3",
      "# HELP rooms Rooms now.",
      "# TYPE rooms gauge",
      "rooms 2",
      "",
    ].join("\n"),
  );
});

Deno.test("Counter keeps one series per label set, labels sorted by name", () => {
  const registry = new Registry();
  const rejected = registry.counter("rejected_total", "Refused.");
  rejected.inc({ transport: "http", reason: "auth" });
  rejected.inc({ reason: "auth", transport: "http" });
  rejected.inc({ transport: "ws", reason: "rate-limited" });
  equal(rejected.get({ transport: "http", reason: "auth" }), 2);
  equal(
    registry.render().split("\n").filter((l) => !l.startsWith("#")).join("\n"),
    'rejected_total{reason="auth",transport="http"} 2\n' +
      'rejected_total{reason="rate-limited",transport="ws"} 1\n',
  );
});

Deno.test("label values are escaped: backslash, quote, newline", () => {
  equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  const registry = new Registry();
  registry.collect("x", "gauge", "help with \\ and\nnewline", () => [
    { labels: { room: 'r"1' }, value: NaN },
  ]);
  equal(
    registry.render(),
    '# HELP x help with \\\\ and\\nnewline\n# TYPE x gauge\nx{room="r\\"1"} NaN\n',
  );
});

Deno.test("Registry refuses bad names, duplicates, and counters going down", () => {
  const registry = new Registry();
  throws(() => registry.counter("bad-name", "x"), TypeError);
  registry.counter("ok_total", "x");
  throws(() => registry.counter("ok_total", "x"), TypeError);
  throws(() => new Counter("c", "x").inc({}, -1), RangeError);
  throws(() => new Counter("c", "x").inc({ "bad-label": "1" }), TypeError);
});

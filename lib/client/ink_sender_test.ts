import assert from "node:assert/strict";
import { type ClientMessage, decodeClient, encodeClient } from "../protocol.ts";
import { decodePoints } from "../ink/ink_codec.ts";
import { typicalStroke } from "../ink/_testing.ts";
import { InkSender } from "./ink_sender.ts";

function setup(connected = true) {
  let t = 0;
  const sent: ClientMessage[] = [];
  const sender = new InkSender({
    now: () => t,
    send: (m) => {
      if (!connected) return false;
      // Through the real codec: what the server would accept.
      sent.push(decodeClient(encodeClient(m)));
      return true;
    },
  });
  return { sender, sent, advance: (ms: number) => (t += ms) };
}

Deno.test("InkSender sends a stroke progressively: first points after 100 ms, batches every 200 ms, done last", () => {
  const { sender, sent, advance } = setup();
  const points = typicalStroke(1);
  sender.begin(2, "pen", "#c62828", 4, points[0]);
  assert.equal(sent.length, 0, "nothing before the first interval");
  for (const p of points.slice(1)) {
    advance(1000 / 60);
    sender.extend(p);
  }
  sender.end();
  // 1 s: the first message at 100 ms, then 200 ms batches (at 300, 500, 700, 900), the rest at the end.
  assert.ok(sent.length >= 5 && sent.length <= 7, `${sent.length} messages for 1 s`);
  assert.equal(sent[0].type === "ink" && sent[0].op, "stroke");
  assert.ok(sent.slice(1).every((m) => m.type === "ink" && m.op === "more" && m.slide === 2));
  assert.deepEqual(sent.map((m) => m.type === "ink" && "done" in m && m.done), [
    ...sent.slice(1).map(() => false),
    true,
  ]);
  const all = sent.flatMap((m) => (m.type === "ink" && "pts" in m ? decodePoints(m.pts) : []));
  assert.equal(all.length, points.length);
});

Deno.test("InkSender.tick() sends waiting points without new pointer moves", () => {
  const { sender, sent, advance } = setup();
  sender.begin(0, "pen", "#1b1d1f", 4, { x: 1, y: 1, p: 0.5 });
  sender.tick();
  assert.equal(sent.length, 0);
  advance(100);
  sender.tick();
  assert.equal(sent.length, 1);
});

Deno.test("InkSender.sync() sends a page once per connection: reset, then its strokes whole", () => {
  const { sender, sent } = setup();
  const strokes = [{
    tool: "pen" as const,
    color: "#1565c0",
    width: 8,
    points: typicalStroke(0.5),
  }];
  assert.equal(sender.sync(1, strokes), true);
  assert.deepEqual(sent.map((m) => m.type === "ink" && m.op), ["reset", "stroke"]);
  sender.sync(1, strokes);
  assert.equal(sent.length, 2, "already sent on this connection");
  sender.connected();
  sender.sync(1, strokes);
  assert.equal(sent.length, 4, "sent again after a reconnect");
});

Deno.test("InkSender.sync() reports a closed socket and tries again later", () => {
  const { sender } = setup(false);
  assert.equal(sender.sync(0, []), false);
});

Deno.test("InkSender.step() ends an open stroke before undo", () => {
  const { sender, sent } = setup();
  sender.begin(0, "eraser", "#1b1d1f", 16, { x: 1, y: 1, p: 0.5 });
  sender.step(0, "undo");
  assert.deepEqual(sent.map((m) => m.type === "ink" && m.op), ["stroke", "undo"]);
  assert.equal(sent[0].type === "ink" && "done" in sent[0] && sent[0].done, true);
});

/**
 * Ink as data: bytes per stroke on the wire. Strokes are drawn through the
 * studio's real InkSender (points batched every 100 ms at 60 pointer samples
 * a second) and every message is checked by the server's decoder; the late
 * joiner's figure is the server's replay of the same stroke (one merged
 * message). Also: how long a stroke's bytes take at 64 kbit/s, and the ink
 * rate while drawing continuously.
 * Target (issue #9): a few hundred bytes per stroke; a stroke shows within
 * 1 s at 64 kbit/s; ink at ~1–5 kbit/s.
 * Usage: deno run -A bench/ink_bench.ts
 */
import { InkSender } from "../lib/client/ink_sender.ts";
import { typicalStroke } from "../lib/ink/_testing.ts";
import { InkLog } from "../lib/ink/ink_log.ts";
import { decodeClient, encodeClient, encodeServer, type InkOp } from "../lib/protocol.ts";

interface Row {
  name: string;
  points: number;
  messages: number;
  liveBytes: number;
  replayBytes: number;
}

function measure(name: string, seconds: number, mouse: boolean): Row {
  let t = 0;
  let bytes = 0;
  let messages = 0;
  const log = new InkLog();
  const sender = new InkSender({
    now: () => t,
    send: (m) => {
      const text = encodeClient(m);
      const decoded = decodeClient(text);
      if (decoded.type === "ink") {
        const { type: _, slide: __, ...op } = decoded;
        log.apply(op as InkOp);
        // What each viewer receives: the same message from the server.
        bytes += new TextEncoder().encode(encodeServer(decoded)).byteLength;
      }
      messages++;
      return true;
    },
  });
  // Different strokes have different shapes: average over a few.
  const runs = 20;
  let points = 0;
  for (let seed = 0; seed < runs; seed++) {
    const pts = typicalStroke(seconds, seed).map((p) => (mouse ? { ...p, p: 0.5 } : p));
    points += pts.length;
    sender.begin(3, "pen", "#c62828", 4, pts[0]);
    for (const p of pts.slice(1)) {
      t += 1000 / 60;
      sender.extend(p);
    }
    sender.end();
  }
  const replayBytes = log.replay().reduce(
    (n, op) =>
      n + new TextEncoder().encode(encodeServer({ type: "ink", slide: 3, ...op })).byteLength,
    0,
  );
  return {
    name,
    points: points / runs,
    messages: messages / runs,
    liveBytes: bytes / runs,
    replayBytes: replayBytes / runs,
  };
}

const rows = [
  measure("short mark, 0.3 s, pen", 0.3, false),
  measure("word, 1 s, pen", 1, false),
  measure("word, 1 s, mouse", 1, true),
  measure("long line, 3 s, pen", 3, false),
];
console.log(
  "stroke                     points  messages  live bytes  replay bytes  at 64 kbit/s",
);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(26)} ${r.points.toFixed(0).padStart(6)} ${r.messages.toFixed(1).padStart(9)} ${
      r.liveBytes.toFixed(0).padStart(11)
    } ${r.replayBytes.toFixed(0).padStart(13)} ${
      (r.liveBytes * 8 / 64).toFixed(0).padStart(10)
    } ms`,
  );
}
const word = rows[1];
console.log(
  `ink while drawing without pause: ${(word.liveBytes * 8 / 1000).toFixed(1)} kbit/s; ` +
    `a typical stroke (1 s word): ${word.liveBytes.toFixed(0)} B live, ${
      word.replayBytes.toFixed(0)
    } B for a late joiner`,
);

import { deepEqual, equal, ok } from "node:assert/strict";
import { Hub } from "../hub/hub.ts";
import { initSegment, mediaSegment } from "../hub/_testing.ts";
import { Ticker } from "../session/ticker.ts";
import { concat } from "../media/bytes.ts";
import { liveResponse } from "./http_live.ts";

const PIECE = 8 * 1024;

function setup() {
  const { room, key } = new Hub().create();
  const ticker = new Ticker(50, () => performance.now());
  const publisher = room.publish(key, () => {});
  publisher.start("camera", "video/webm");
  return { room, ticker, publisher };
}

/** Distinct bytes per segment, so a piece out of place or repeated shows. */
function filled<T extends { bytes: Uint8Array }>(segment: T, seed: number): T {
  segment.bytes.forEach((_, i) => (segment.bytes[i] = (seed + i * 7) & 255));
  return segment;
}

Deno.test("the live body hands Deno views of at most 8 KiB, one per event-loop turn, bytes intact and in order", async () => {
  const { room, ticker, publisher } = setup();
  const init = filled(initSegment("video/webm", 40), 1);
  const key = filled(mediaSegment(0, { keyframe: true, size: 20_000 }), 2);
  const next = filled(mediaSegment(100, { size: 3_000 }), 3);
  publisher.push("camera", init);
  publisher.push("camera", key);
  const res = liveResponse(room, "camera", ticker);
  equal(room.viewers, 1);
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let sameTurn = 0;
  const want = init.bytes.byteLength + key.bytes.byteLength + next.bytes.byteLength;
  while (chunks.reduce((n, c) => n + c.byteLength, 0) < want) {
    let settled = false;
    const read = reader.read().then((r) => (settled = true, r));
    // A piece is never handed over within the turn that asked for it.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    if (settled) sameTurn++;
    const { value, done } = await read;
    ok(!done && value);
    ok(value.byteLength <= PIECE, `piece of ${value.byteLength} bytes`);
    chunks.push(value);
    if (chunks.length === 2) publisher.push("camera", next); // live, after the join
  }
  equal(sameTurn, 0);
  deepEqual(concat(chunks), concat([init.bytes, key.bytes, next.bytes]));
  equal(chunks.length, 1 + Math.ceil(20_000 / PIECE) + 1);
  await reader.cancel();
  equal(room.viewers, 0, "a cancelled body leaves the room");
  ticker.stop();
});

Deno.test("a new init (the presenter restarted) ends the live body after the old stream", async () => {
  const { room, ticker, publisher } = setup();
  publisher.push("camera", initSegment("video/webm", 40));
  publisher.push("camera", mediaSegment(0, { keyframe: true, size: 500 }));
  const reader = liveResponse(room, "camera", ticker).body!.getReader();
  let bytes = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    bytes += r.value.byteLength;
    if (bytes === 540) publisher.push("camera", initSegment("video/webm", 40));
  }
  equal(bytes, 540);
  equal(room.viewers, 0);
  ticker.stop();
});

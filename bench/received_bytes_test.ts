import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { encodeMedia } from "../lib/protocol.ts";
import {
  byLabel,
  frameBytes,
  frameLabel,
  httpLabel,
  type Received,
  totals,
} from "./received_bytes.ts";

Deno.test("frameBytes: binary payloads decode from base64, text counts as UTF-8, plus the header", () => {
  for (const n of [0, 1, 2, 3, 125, 126, 65535, 65536]) {
    const header = n <= 125 ? 2 : n <= 65535 ? 4 : 10;
    assert.equal(frameBytes(2, Buffer.alloc(n).toString("base64")), n + header, `${n} bytes`);
  }
  assert.equal(frameBytes(1, '{"type":"ink"}'), 14 + 2);
  assert.equal(frameBytes(1, "é→"), 5 + 2);
});

Deno.test("totals: start-up apart, the rest scaled to a minute by kind", () => {
  const received: Received[] = [
    { at: 100, kind: "http", bytes: 3000, label: "page" },
    { at: 4999, kind: "ws", bytes: 500, label: "audio" },
    { at: 5000, kind: "ws", bytes: 1000, label: "audio" },
    { at: 20_000, kind: "http", bytes: 2000, label: "slide" },
    { at: 35_000, kind: "ws", bytes: 9999, label: "audio" },
  ];
  const t = totals(received, 5000, 35_000);
  assert.deepEqual(t, { startup: 3500, perMinute: 6000, wsPerMinute: 2000, httpPerMinute: 4000 });
  assert.deepEqual(byLabel(received, 5000, 35_000), [
    { label: "slide", perMinute: 4000 },
    { label: "audio", perMinute: 2000 },
  ]);
});

Deno.test("frameLabel: a media frame's track, a text message's type", () => {
  const media = encodeMedia({
    kind: "media",
    track: "audio",
    timestampMs: 5,
    keyframe: true,
    start: false,
    payload: new Uint8Array(3),
  });
  assert.equal(frameLabel(2, Buffer.from(media).toString("base64")), "audio");
  assert.equal(frameLabel(1, '{"type":"stats","tracks":[]}'), "stats");
  assert.equal(frameLabel(1, "not json"), "other");
  assert.equal(frameLabel(2, "AAAA"), "other");
});

Deno.test("httpLabel: what a response was, by its path", () => {
  const o = "http://127.0.0.1:8000";
  assert.equal(httpLabel(`${o}/s/abc?profile=low`), "page");
  assert.equal(httpLabel(`${o}/slides/${"a".repeat(40)}.webp`), "slide");
  assert.equal(httpLabel(`${o}/api/probe?bytes=65536`), "/api/probe");
  assert.equal(
    httpLabel(`${o}/api/rooms/cotabLO0PBh0/camera-snapshot.jpg?v=3`),
    "/api/rooms/:id/camera-snapshot.jpg",
  );
  assert.equal(httpLabel(`${o}/api/rooms/cotabLO0PBh0`), "/api/rooms/:id");
  assert.equal(httpLabel(`${o}/api/rooms/abcdefgh12_-XY/lessons`), "/api/rooms/:id/lessons");
});

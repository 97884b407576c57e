import { deepEqual, equal, throws } from "node:assert/strict";
import { ProtocolError } from "./errors.ts";
import {
  type ClientMessage,
  decodeClient,
  decodeMedia,
  decodeServer,
  encodeClient,
  encodeMedia,
  encodeServer,
  type MediaFrame,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "./protocol.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

const MEDIA: MediaFrame[] = [
  { kind: "init", track: "camera", mime: 'video/webm; codecs="vp8,opus"', payload: bytes(1, 2, 3) },
  {
    kind: "init",
    track: "audio",
    mime: 'audio/webm; codecs="opus"',
    clockMs: 1_700_000_000_123.5,
    payload: bytes(4),
  },
  {
    kind: "media",
    track: "whiteboard",
    keyframe: true,
    start: true,
    timestampMs: 1500.25,
    payload: bytes(9),
  },
  { kind: "media", track: "c-2", keyframe: false, start: false, timestampMs: 0, payload: bytes() },
  { kind: "chunk", track: "camera", timestampMs: 42, payload: bytes(5, 6) },
];

for (const frame of MEDIA) {
  Deno.test(`encodeMedia()/decodeMedia() round-trip a ${frame.kind} frame`, () => {
    deepEqual(decodeMedia(encodeMedia(frame)), frame);
  });
}

Deno.test("encodeMedia() lays out kind, flags, track, timestamp, MIME, payload", () => {
  const wire = encodeMedia({ kind: "init", track: "ab", mime: "v/w", payload: bytes(7) });
  deepEqual([...wire], [1, 0, 2, 97, 98, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 118, 47, 119, 7]);
  const media = encodeMedia({
    kind: "media",
    track: "a",
    keyframe: true,
    start: true,
    timestampMs: 1,
    payload: bytes(),
  });
  deepEqual([...media], [2, 3, 1, 97, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]);
});

Deno.test("decodeMedia() returns the payload as a view, not a copy", () => {
  const wire = encodeMedia(MEDIA[1]);
  const frame = decodeMedia(wire);
  equal(frame.payload.buffer, wire.buffer);
});

Deno.test("decodeMedia() ignores unknown flag bits", () => {
  const wire = encodeMedia(MEDIA[1]);
  wire[1] |= 0x80;
  deepEqual(decodeMedia(wire), MEDIA[1]);
});

const rejectsMedia = (name: string, wire: Uint8Array, message: RegExp, max?: number) =>
  Deno.test(`decodeMedia() rejects ${name}`, () => {
    throws(() => decodeMedia(wire, max), (err: unknown) => {
      equal(err instanceof ProtocolError, true);
      equal(message.test((err as Error).message), true, (err as Error).message);
      return true;
    });
  });

rejectsMedia("an empty message", bytes(), /media message too short/);
rejectsMedia("a header cut short", encodeMedia(MEDIA[1]).subarray(0, 10), /too short/);
rejectsMedia(
  "an unknown kind",
  bytes(9, 0, 1, 97, 0, 0, 0, 0, 0, 0, 0, 0),
  /unknown media message kind 9/,
);
rejectsMedia("an empty track name", bytes(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), /bad track name/);
rejectsMedia(
  "an uppercase track name",
  bytes(2, 0, 1, 65, 0, 0, 0, 0, 0, 0, 0, 0),
  /bad track name/,
);
rejectsMedia("a NaN timestamp", bytes(2, 0, 1, 97, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0), /bad timestamp/);
rejectsMedia("an init without its MIME", encodeMedia(MEDIA[0]).subarray(0, 22), /bad MIME type/);
rejectsMedia("an oversize message", encodeMedia(MEDIA[0]), /too large/, 10);

Deno.test("encodeMedia() refuses a bad track name", () => {
  throws(() => encodeMedia({ ...MEDIA[1], track: "Camera" }), ProtocolError);
});

const CLIENT: ClientMessage[] = [
  { type: "hello", v: PROTOCOL_VERSION, role: "publisher", room: "abcdefghijkl", key: "k-_9" },
  { type: "hello", v: PROTOCOL_VERSION, role: "viewer", room: "abcdefghijkl", name: "Ada" },
  { type: "hello", v: PROTOCOL_VERSION, role: "viewer", room: "abcdefghijkl" },
  { type: "hello", v: PROTOCOL_VERSION, role: "viewer", room: "abcdefghijkl", tracks: [] },
  { type: "track-start", track: "camera", mime: 'video/webm; codecs="vp8"' },
  { type: "track-start", track: "audio", mime: "audio/webm", clockMs: 1_700_000_000_000.25 },
  {
    type: "hello",
    v: PROTOCOL_VERSION,
    role: "viewer",
    room: "abcdefghijkl",
    tracks: ["audio", "whiteboard"],
  },
  {
    type: "hello",
    v: PROTOCOL_VERSION,
    role: "viewer",
    room: "abcdefghijkl",
    lane: "AbCdEfGhIjKlMnOp_-0123",
    tracks: ["camera-low"],
  },
  { type: "track-stop", track: "whiteboard" },
  { type: "subscribe", tracks: ["audio"] },
  { type: "subscribe", tracks: null },
  { type: "ping", t: 12.5 },
  { type: "ping" },
  { type: "pong", t: 12.5 },
  { type: "chat", text: "What is\na monoid?" },
  { type: "chat-delete", id: "m17" },
  { type: "chat-mute", participant: "p4" },
  {
    type: "ink",
    slide: 2,
    op: "stroke",
    tool: "pen",
    color: "#c62828",
    width: 4,
    pts: "gAsGAAIC_-",
  },
  { type: "ink", slide: 2, op: "more", pts: "AgIA", done: true },
  { type: "ink", slide: 0, op: "more", pts: "", done: false },
  { type: "ink", slide: 0, op: "undo" },
  { type: "ink", slide: 0, op: "redo" },
  { type: "ink", slide: 0, op: "clear" },
  { type: "ink", slide: 9999, op: "reset" },
];

for (const message of CLIENT) {
  Deno.test(`encodeClient()/decodeClient() round-trip ${JSON.stringify(message)}`, () => {
    deepEqual(decodeClient(encodeClient(message)), message);
  });
}

const entry = { id: "m1", from: "p2", name: "Ada", text: "hi", at: 1_700_000_000_000 };
const welcome: ServerMessage = {
  type: "welcome",
  v: 1,
  role: "viewer",
  room: { id: "abcdefghijkl", title: "Algebra" },
  participant: "p2",
};
const SERVER: ServerMessage[] = [
  { ...welcome, name: "Ada", lane: "AbCdEfGhIjKlMnOp_-0123" },
  {
    type: "welcome",
    v: 1,
    role: "viewer",
    room: { id: "abcdefghijkl", title: "Algebra" },
    participant: "p2",
  },
  {
    type: "welcome",
    v: 1,
    role: "viewer",
    room: { id: "abcdefghijkl", title: "Algebra" },
    participant: "p2",
    name: "Ada",
  },

  { type: "state", live: false, tracks: [], viewers: 1, liveSince: null, title: "Renamed" },
  {
    type: "state",
    live: true,
    tracks: [{ name: "camera", mime: "video/webm", live: true }, {
      name: "whiteboard",
      mime: null,
      live: false,
    }],
    viewers: 3,
    liveSince: 1_700_000_000_000,
  },
  { type: "state", live: false, tracks: [], viewers: 0, liveSince: null },
  { type: "error", code: "conflict", message: "track taken" },
  { type: "ended", reason: "room ended" },
  { type: "ping", t: 1 },
  { type: "pong" },
  { type: "chat", ...entry },
  { type: "chat-history", messages: [entry, { ...entry, id: "m2" }] },
  { type: "chat-deleted", id: "m1" },
  { type: "muted", message: "the presenter muted you" },
  {
    type: "stats",
    viewers: 3,
    tracks: [{ name: "camera", bitrate: 800_000, keyframeIntervalMs: null }],
  },
  {
    type: "stats",
    viewers: 3,
    tracks: [{
      name: "audio",
      bitrate: 30_000,
      keyframeIntervalMs: 120,
      skipped: 2,
      viewers: 3,
      clockShiftMs: 140,
      idleMs: 2400,
    }],
    delivery: { queued: 4, pendingBytes: 1200, skipped: 7, sentBytes: 90_000 },
  },
  { type: "slide", deck: null, index: 0, count: 0, renditions: [] },
  {
    type: "slide",
    deck: "AbC_-9",
    index: 2,
    count: 3,
    renditions: [{ w: 800, h: 450, url: "/slides/0123456789abcdef.webp" }],
  },
  { type: "ink", slide: 1, op: "stroke", tool: "eraser", color: "#fbfaf6", width: 16, pts: "" },
  { type: "ink", slide: 1, op: "undo" },
  { type: "screen", snapshot: "/api/rooms/abc/board-snapshot.jpg?v=0123abcd" },
  { type: "screen", snapshot: null },
  { type: "camera", snapshot: "/api/rooms/abc/camera-snapshot.jpg?v=0123abcd" },
  { type: "camera", snapshot: null },
  {
    type: "ink-replay",
    slide: 2,
    ops: [
      { op: "stroke", tool: "pen", color: "#c62828", width: 4, pts: "AgIA", done: true },
      { op: "clear" },
      { op: "undo" },
    ],
  },
  { type: "ink-replay", slide: 0, ops: [] },
];

for (const message of SERVER) {
  Deno.test(`encodeServer()/decodeServer() round-trip ${message.type}`, () => {
    deepEqual(decodeServer(encodeServer(message)), message);
  });
}

const rejects = (decode: (text: string) => unknown, text: string, message: RegExp) =>
  Deno.test(`${decode.name}() rejects ${text.slice(0, 70)}`, () => {
    throws(() => decode(text), (err: unknown) => {
      equal(err instanceof ProtocolError, true);
      equal(message.test((err as Error).message), true, (err as Error).message);
      return true;
    });
  });

rejects(decodeClient, "not json", /not valid JSON/);
rejects(decodeClient, '{"type":"ink","slide":-1,"op":"undo"}', /"slide" must be a whole number/);
rejects(decodeClient, '{"type":"ink","slide":0,"op":"smudge"}', /"op" must be one of/);
rejects(
  decodeClient,
  '{"type":"ink","slide":0,"op":"stroke","tool":"pen","color":"red","width":4,"pts":""}',
  /"color" must be/,
);
rejects(
  decodeClient,
  '{"type":"ink","slide":0,"op":"stroke","tool":"pen","color":"#000000","width":0,"pts":""}',
  /"width" must be a number from 0.5 to 256/,
);
rejects(decodeClient, '{"type":"ink","slide":0,"op":"more","pts":"a+b"}', /"pts" must be like/);
rejects(
  decodeServer,
  '{"type":"slide","deck":null,"index":0,"count":0,"renditions":[{"w":1,"h":1,"url":"http://x"}]}',
  /renditions\[0\]\.url/,
);
rejects(decodeClient, "[1]", /must be a JSON object/);
rejects(
  decodeClient,
  '{"type":"hello","v":1,"role":"viewer","room":"r","lane":"short"}',
  /"lane" must be/,
);
rejects(
  decodeClient,
  '{"type":"hello","v":1,"role":"publisher","room":"r","key":"k","lane":"AbCdEfGhIjKlMnOp"}',
  /only viewers open a lane/,
);
rejects(
  decodeClient,
  '{"type":"hello","v":1,"role":"viewer","room":"r","media":false,"lane":"AbCdEfGhIjKlMnOp"}',
  /a lane carries media/,
);
rejects(decodeServer, '{"type":"camera","snapshot":"http://x/a.jpg"}', /"snapshot" must be/);
rejects(decodeClient, "{}", /no "type"/);
rejects(decodeClient, '{"type":"dance"}', /unknown message type "dance"/);
rejects(decodeClient, '{"type":"welcome","v":1}', /unknown message type "welcome"/);
rejects(decodeClient, `{"type":"chat","text":"${"x".repeat(9000)}"}`, /message too long/);
rejects(decodeClient, '{"type":"chat","text":42}', /"text" must be a string/);

Deno.test("decodeClient() leaves chat text to the chat, which answers with a reason", () => {
  // Empty, long or odd text is a person's mistake, not a protocol violation:
  // lib/chat/text.ts refuses or cleans it without closing the connection.
  for (const text of ["", "x".repeat(501), "a\u0007b"]) {
    deepEqual(decodeClient(JSON.stringify({ type: "chat", text })), { type: "chat", text });
  }
});
rejects(
  decodeClient,
  '{"type":"hello","v":2,"role":"viewer","room":"r"}',
  /version 2 is not supported/,
);
rejects(
  decodeClient,
  '{"type":"hello","v":"1","role":"viewer","room":"r"}',
  /"v" must be a whole number/,
);
rejects(decodeClient, '{"type":"hello","v":1,"role":"admin","room":"r"}', /"role" must be one of/);
rejects(decodeClient, '{"type":"hello","v":1,"role":"viewer","room":"a/b"}', /"room" must be like/);
rejects(decodeClient, '{"type":"hello","v":1,"role":"publisher","room":"r"}', /needs the room key/);
rejects(
  decodeClient,
  '{"type":"hello","v":1,"role":"viewer","room":"r","key":"k"}',
  /only publishers/,
);
rejects(
  decodeClient,
  '{"type":"track-start","track":"Camera","mime":"video/webm"}',
  /"track" must be like/,
);
rejects(decodeClient, '{"type":"track-start","track":"camera"}', /"mime" must be a string/);
rejects(decodeClient, '{"type":"ping","t":"now"}', /"t" must be a finite number/);
rejects(
  decodeClient,
  '{"type":"hello","v":1,"role":"viewer","room":"abc","tracks":["audio","Cam"]}',
  /"tracks\[1\]" must be a track name/,
);
rejects(decodeClient, '{"type":"subscribe"}', /"tracks" must be a list/);
rejects(
  decodeClient,
  '{"type":"hello","v":1,"role":"publisher","room":"abc","key":"k","tracks":["audio"]}',
  /only viewers choose tracks/,
);
rejects(
  decodeServer,
  '{"type":"stats","viewers":1,"tracks":[],"delivery":{"queued":-1}}',
  /"delivery.queued" must be a whole number/,
);
rejects(
  decodeServer,
  '{"type":"state","live":1,"tracks":[],"viewers":0,"liveSince":null}',
  /"live" must be true/,
);
rejects(
  decodeServer,
  '{"type":"state","live":true,"tracks":[{"name":"x","mime":3,"live":true}],"viewers":0,"liveSince":null}',
  /"tracks\[0\]\.mime" must be a string/,
);
rejects(
  decodeServer,
  '{"type":"welcome","v":1,"role":"viewer","room":"x","participant":"p"}',
  /"room" must be an object/,
);
rejects(decodeServer, '{"type":"chat-history","messages":[{"id":"m"}]}', /"messages\[0\]\.from"/);
rejects(decodeServer, '{"type":"error","code":"Bad Code","message":"m"}', /"code" must be like/);

Deno.test("decoders ignore unknown fields so peers can add optional ones", () => {
  deepEqual(decodeClient('{"type":"track-stop","track":"camera","reason":"later"}'), {
    type: "track-stop",
    track: "camera",
  });
});

Deno.test("decodeClient() reads an older client's hello media: false as tracks: []", () => {
  const hello = (extra: string) =>
    decodeClient(`{"type":"hello","v":1,"role":"viewer","room":"r"${extra}}`);
  deepEqual(hello(',"media":false'), {
    type: "hello",
    v: 1,
    role: "viewer",
    room: "r",
    tracks: [],
  });
  deepEqual(hello(',"media":false,"tracks":[]'), hello(',"tracks":[]'));
  deepEqual(hello(',"media":true'), { type: "hello", v: 1, role: "viewer", room: "r" });
  deepEqual(hello(',"media":true,"tracks":["audio"]'), hello(',"tracks":["audio"]'));
  throws(() => hello(',"media":false,"tracks":["audio"]'), /send only "tracks"/);
  throws(() => hello(',"media":"no"'), /"media"/);
});

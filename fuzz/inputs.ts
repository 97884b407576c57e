/**
 * fast-check arbitraries for the fuzz targets: container streams (random
 * bytes, or a valid WebM/MP4 tree rewritten by mutations, see trees.ts) cut
 * into random chunks, and protocol frames (text and binary).
 */
import fc from "fast-check";
import {
  mp4Template,
  mutateBoxes,
  mutateElements,
  type Mutation,
  serializeBoxes,
  serializeElements,
  webmTemplate,
} from "./trees.ts";

/** Bytes that break text fields: controls, quotes, separators, non-ASCII, NUL padding. */
const oddByte = fc.constantFrom(
  0x00,
  0x01,
  0x09,
  0x0a,
  0x0d,
  0x1b,
  0x1f,
  0x20,
  0x22,
  0x27,
  0x2c,
  0x3b,
  0x5c,
  0x7f,
  0x80,
  0xc3,
  0xff,
);

/** A string field's new bytes: a real codec name with odd bytes in, random bytes, or something huge. */
export const oddText: fc.Arbitrary<Uint8Array> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constantFrom("V_VP8", "A_OPUS", "V_MPEG4/ISO/AVC", "webm", "avc1", "mp4a"),
      fc.nat(8),
      oddByte,
    )
      .map(([s, at, b]) => {
        const bytes = new TextEncoder().encode(s);
        const out = new Uint8Array(bytes.length + 1);
        const i = Math.min(at, bytes.length);
        out.set(bytes.subarray(0, i));
        out[i] = b;
        out.set(bytes.subarray(i), i + 1);
        return out;
      }),
  },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(oddByte, { maxLength: 24 }).map((a) => Uint8Array.from(a)) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 256, max: 140_000 }).map((n) => new Uint8Array(n).fill(0x41)),
  },
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("string" as const), at: fc.nat(), bytes: oddText }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("body" as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ maxLength: 64 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("duplicate" as const),
      at: fc.nat(),
      times: fc.integer({ min: 1, max: 40 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("id" as const), at: fc.nat(), value: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("size" as const),
      at: fc.nat(),
      size: fc.constantFrom(
        "huge" as const,
        "unknown" as const,
        "short" as const,
        "long" as const,
        "zero" as const,
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("insert" as const),
      at: fc.nat(),
      value: fc.nat(),
      bytes: fc.uint8Array({ maxLength: 32 }),
    }),
  },
);

const WEBM = webmTemplate();
const MP4 = mp4Template();

/** A WebM element tree with 0-6 mutations, serialised. */
export const webmBytes: fc.Arbitrary<Uint8Array> = fc.array(mutation, { maxLength: 6 })
  .map((ms) => serializeElements(mutateElements(WEBM, ms)));

/** An MP4 box tree with 0-6 mutations, serialised. */
export const mp4Bytes: fc.Arbitrary<Uint8Array> = fc.array(mutation, { maxLength: 6 })
  .map((ms) => serializeBoxes(mutateBoxes(MP4, ms)));

/** Random bytes, sometimes behind a real magic so the sniffer picks a parser. */
export const randomBytes: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.constantFrom([], [0x1a, 0x45, 0xdf, 0xa3], [0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70]),
  fc.uint8Array({ maxLength: 512 }),
).map(([head, tail]) => Uint8Array.from([...head, ...tail]));

/** Any container input: structured most of the time, plus random bytes, and truncation. */
export const containerBytes: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.oneof({ weight: 4, arbitrary: webmBytes }, { weight: 4, arbitrary: mp4Bytes }, {
    weight: 2,
    arbitrary: randomBytes,
  }),
  fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 5 }),
).map(([bytes, cut]) => (cut === null ? bytes : bytes.subarray(0, Math.floor(bytes.length * cut))));

/** Chunk sizes to cut an input with (cycled), or whole. */
export const chunking: fc.Arbitrary<number[]> = fc.oneof(
  fc.constant([] as number[]),
  fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
);

/** `bytes` cut by `sizes` (cycled); whole when `sizes` is empty. */
export function cut(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  if (sizes.length === 0) return [bytes];
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

const jsonValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);
const fieldNames = fc.constantFrom(
  "type",
  "v",
  "role",
  "room",
  "key",
  "name",
  "track",
  "mime",
  "text",
  "id",
  "participant",
  "t",
  "tracks",
  "live",
  "viewers",
  "liveSince",
  "title",
  "code",
  "message",
  "reason",
  "messages",
  "from",
  "at",
  "bitrate",
  "keyframeIntervalMs",
);
const messageTypes = fc.constantFrom(
  "hello",
  "track-start",
  "track-stop",
  "ping",
  "pong",
  "chat",
  "chat-delete",
  "chat-mute",
  "welcome",
  "state",
  "error",
  "ended",
  "chat-history",
  "chat-deleted",
  "muted",
  "stats",
  "nope",
);

/** Text frames: JSON objects of plausible fields with odd values, or any string. */
export const textFrame: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(messageTypes, fc.dictionary(fieldNames, jsonValue, { maxKeys: 6 }))
      .map(([type, rest]) => JSON.stringify({ ...rest, type })),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
);

/** Binary frames: random, or a media header with odd fields over a random payload. */
export const binaryFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.tuple(
    fc.integer({ min: 0, max: 4 }),
    fc.oneof(fc.constant("camera"), fc.string({ unit: "binary", maxLength: 40 })),
    fc.uint8Array({ minLength: 8, maxLength: 8 }),
    fc.uint8Array({ maxLength: 300 }),
  ).map(([kind, track, rest, payload]) => {
    const name = new TextEncoder().encode(track);
    return Uint8Array.from([
      kind,
      0,
      Math.min(name.length, 255),
      ...name.subarray(0, 255),
      ...rest,
      ...payload,
    ]);
  }),
);

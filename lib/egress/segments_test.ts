import { deepEqual, equal, match, rejects, throws } from "node:assert/strict";
import type { Room } from "../hub/room.ts";
import { Track } from "../hub/track.ts";
import { fakeClock, initSegment, mediaSegment } from "../hub/_testing.ts";
import { NotFoundError, UserError } from "../errors.ts";
import {
  IMMUTABLE,
  INDEX_CACHE,
  indexResponse,
  initResponse,
  pieceResponse,
  type SegmentIndex,
} from "./segments.ts";

const owner = { close() {} };
const MIME = 'video/webm; codecs="vp8"';

/** A track of room "r1" with generation numbers from 100, and the room around it. */
function setup(limits: { windowMs?: number } = {}) {
  const clock = fakeClock();
  const track = new Track("camera", { firstGeneration: 100, ...limits });
  track.claim(owner, clock.now());
  const room = { id: "r1", track: (name: string) => (name === "camera" ? track : undefined) };
  const push = (ts: number, keyframe = false) => {
    track.push(owner, mediaSegment(ts, { keyframe, size: 10 + ts / 100 }), clock.now());
    clock.advance(100);
  };
  return { clock, track, room: room as unknown as Room, push };
}

const get = (path = "/") => new Request(`http://x${path}`);

Deno.test("the index lists the ring's pieces with URLs, keyframes, times and next", async () => {
  const { track, room, push, clock } = setup();
  const before = indexResponse(() => room, "camera");
  equal(before.status, 404);
  equal(before.headers.get("cache-control"), INDEX_CACHE);
  match(await before.text(), /not live yet/);

  track.push(owner, initSegment(MIME), clock.now());
  push(0, true);
  push(100);
  push(200);
  const res = indexResponse(() => room, "camera");
  equal(res.status, 200);
  equal(res.headers.get("cache-control"), INDEX_CACHE);
  const index: SegmentIndex = await res.json();
  deepEqual(index, {
    generation: 100,
    init: "/s/r1/camera/g/100/init",
    segments: [
      { n: 0, url: "/s/r1/camera/g/100/0", keyframe: true, startMs: 0, durationMs: 100 },
      { n: 1, url: "/s/r1/camera/g/100/1", keyframe: false, startMs: 100, durationMs: 100 },
      { n: 2, url: "/s/r1/camera/g/100/2", keyframe: false, startMs: 200, durationMs: 100 },
    ],
    next: 3,
  });
  // No such track or room: a 404 a cache may share for a second, like the not-live one.
  const noTrack = indexResponse(() => room, "nope");
  equal(noTrack.status, 404);
  equal(noTrack.headers.get("cache-control"), INDEX_CACHE);
  match((await noTrack.json()).error, /no track "nope"/);
  const noRoom = indexResponse(() => {
    throw new NotFoundError("no such room");
  }, "camera");
  equal(noRoom.status, 404);
  equal(noRoom.headers.get("cache-control"), INDEX_CACHE);
  await noRoom.body?.cancel();
  throws(() =>
    indexResponse(() => {
      throw new Error("a bug");
    }, "camera"), /a bug/);
});

Deno.test("init and pieces are immutable, typed, tagged, and answer If-None-Match with 304", async () => {
  const { track, room, push, clock } = setup();
  track.push(owner, initSegment(MIME, 40), clock.now());
  push(0, true);
  push(100);

  const init = initResponse(get(), room, "camera", "100");
  equal(init.status, 200);
  equal(init.headers.get("cache-control"), IMMUTABLE);
  equal(init.headers.get("content-type"), MIME);
  equal((await init.bytes()).byteLength, 40);

  const piece = await pieceResponse(get(), room, "camera", "100", "1");
  equal(piece.status, 200);
  equal(piece.headers.get("cache-control"), IMMUTABLE);
  equal(piece.headers.get("content-type"), MIME);
  equal(piece.headers.get("x-keyframe"), "0");
  const etag = piece.headers.get("etag")!;
  equal(etag, '"g100-1"');
  deepEqual(await piece.bytes(), track.ring.at(1)!.segment.bytes);
  const key = await pieceResponse(get(), room, "camera", "100", "0");
  equal(key.headers.get("x-keyframe"), "1");
  await key.body?.cancel();

  const again = new Request("http://x/", { headers: { "if-none-match": etag } });
  equal((await pieceResponse(again, room, "camera", "100", "1")).status, 304);
});

Deno.test("a request for the next piece waits until the publisher sends it", async () => {
  const { track, room, push, clock } = setup();
  track.push(owner, initSegment(MIME), clock.now());
  push(0, true);
  const waiting = pieceResponse(get(), room, "camera", "100", "1", { waitMs: 60_000 });
  let settled = false;
  waiting.then(() => settled = true);
  await Promise.resolve();
  equal(settled, false);
  push(100);
  const res = await waiting;
  equal(res.status, 200);
  deepEqual(await res.bytes(), track.ring.at(1)!.segment.bytes);
});

Deno.test("a piece that does not come in time is a 404 nobody caches", async () => {
  const { track, room, push, clock } = setup();
  track.push(owner, initSegment(MIME), clock.now());
  push(0, true);
  const res = await pieceResponse(get(), room, "camera", "100", "1", { waitMs: 0 });
  equal(res.status, 404);
  equal(res.headers.get("cache-control"), "no-store");
  match(await res.text(), /did not arrive in time/);
  const far = await pieceResponse(get(), room, "camera", "100", "50", { waitMs: 60_000 });
  equal(far.status, 404, "far ahead of the live edge answers at once");
  match(await far.text(), /too far ahead/);
});

Deno.test("a piece out of the ring and an old generation are 410; a new init restarts n at 0", async () => {
  const { track, room, push, clock } = setup({ windowMs: 1000 });
  track.push(owner, initSegment(MIME), clock.now());
  for (let i = 0; i < 30; i++) push(i * 100, i % 10 === 0);
  const old = await pieceResponse(get(), room, "camera", "100", "0");
  equal(old.status, 410);
  match(await old.text(), /left the server's buffer; read \/s\/r1\/camera\/segments/);

  track.push(owner, initSegment(MIME), clock.now());
  push(0, true);
  const stale = await pieceResponse(get(), room, "camera", "100", "29");
  equal(stale.status, 410);
  match(await stale.text(), /generation 100 .* is over/);
  equal(initResponse(get(), room, "camera", "100").status, 410);
  const fresh = await pieceResponse(get(), room, "camera", "101", "0");
  equal(fresh.status, 200);
  await fresh.body?.cancel();
  const future = initResponse(get(), room, "camera", "102");
  equal(future.status, 404);
  equal(future.headers.get("cache-control"), "no-store");
  await future.body?.cancel();

  track.reset();
  const ended = await pieceResponse(get(), room, "camera", "101", "0");
  equal(ended.status, 404, "a stopped track has no generation");
  await ended.body?.cancel();
});

Deno.test("a waiting request returns when the presenter re-inits", async () => {
  const { track, room, push, clock } = setup();
  track.push(owner, initSegment(MIME), clock.now());
  push(0, true);
  const waiting = pieceResponse(get(), room, "camera", "100", "1", { waitMs: 60_000 });
  track.push(owner, initSegment(MIME), clock.now());
  const res = await waiting;
  equal(res.status, 410);
  await res.body?.cancel();
});

Deno.test("generation and piece numbers must be whole numbers", async () => {
  const { track, room, clock } = setup();
  track.push(owner, initSegment(MIME), clock.now());
  throws(() => initResponse(get(), room, "camera", "abc"), UserError);
  await rejects(() => pieceResponse(get(), room, "camera", "100", "-1"), UserError);
  await rejects(() => pieceResponse(get(), room, "camera", "1e3", "1"), /whole number/);
});

Deno.test("the init answer carries the presenter clock at media time 0 as X-Clock-Ms", async () => {
  const { track, room, clock } = setup();
  track.push(owner, { ...initSegment(MIME), clockMs: 1_700_000_000_123 }, clock.now());
  const res = initResponse(get(), room, "camera", "100");
  equal(res.headers.get("x-clock-ms"), "1700000000123");
  await res.body?.cancel();
  track.push(owner, initSegment(MIME), clock.now());
  const without = initResponse(get(), room, "camera", "101");
  equal(without.headers.get("x-clock-ms"), null, "absent when unknown");
  await without.body?.cancel();
});

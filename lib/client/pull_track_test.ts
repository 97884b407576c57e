import { deepEqual, equal } from "node:assert/strict";
import { parseIndex, PullTrack, startPiece } from "./pull_track.ts";

/**
 * A fake pull-mode origin: one track whose pieces the test pushes. Asking for
 * the next piece waits for it, like the server; a piece before `oldest` or of
 * an old generation is 410.
 */
class FakeOrigin {
  generation = 7;
  live = true;
  pieces: { n: number; keyframe: boolean; bytes: Uint8Array }[] = [];
  oldest = 0;
  requests: string[] = [];
  #waiters: Array<() => void> = [];

  push(keyframe = false): void {
    const n = this.pieces.length;
    this.pieces.push({ n, keyframe, bytes: new Uint8Array([this.generation, n]) });
    for (const wake of this.#waiters.splice(0)) wake();
  }

  reinit(): void {
    this.generation++;
    this.pieces = [];
    this.oldest = 0;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    this.requests.push(url);
    const base = "/s/r/camera";
    if (!this.live) return new Response("not live", { status: 404 });
    if (url === `${base}/segments`) {
      return Response.json({
        generation: this.generation,
        init: `${base}/g/${this.generation}/init`,
        segments: this.pieces.slice(this.oldest).map((p) => ({
          n: p.n,
          url: `${base}/g/${this.generation}/${p.n}`,
          keyframe: p.keyframe,
          startMs: p.n * 100,
          durationMs: 100,
        })),
        next: this.pieces.length,
      });
    }
    const m = url.match(/\/g\/(\d+)\/(init|\d+)$/)!;
    const generation = Number(m[1]);
    if (generation !== this.generation) return new Response("over", { status: 410 });
    if (m[2] === "init") {
      return new Response(new Uint8Array([generation]), {
        headers: { "content-type": 'video/webm; codecs="vp8"', "x-clock-ms": "1700000000000" },
      });
    }
    const n = Number(m[2]);
    if (n < this.oldest) return new Response("gone", { status: 410 });
    while (n >= this.pieces.length) {
      if (init?.signal?.aborted) throw new DOMException("aborted", "AbortError");
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        init?.signal?.addEventListener("abort", () => resolve(), { once: true });
      });
      if (generation !== this.generation) return new Response("over", { status: 410 });
    }
    const p = this.pieces[n];
    return new Response(p.bytes.slice(), { headers: { "x-keyframe": p.keyframe ? "1" : "0" } });
  };
}

/** A track on the fake origin recording what it plays, with sleeps that only yield. */
function player(origin: FakeOrigin, clock = { t: 0 }) {
  const played: string[] = [];
  const track = new PullTrack({
    base: "/s/r/camera",
    fetch: origin.fetch,
    sleep: () => new Promise((r) => setTimeout(r, 0)),
    now: () => clock.t,
  });
  const clocks: (number | undefined)[] = [];
  track.onInit = (mime, bytes, clockMs) => {
    played.push(`init ${bytes[0]} ${mime}`);
    clocks.push(clockMs);
  };
  track.onMedia = (bytes, key) => played.push(`${bytes[0]}:${bytes[1]}${key ? " key" : ""}`);
  track.onGone = () => played.push("gone");
  return { played, track, clocks };
}

/** Lets the client's promise chains run until `predicate` holds (no wall-clock waits). */
async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error(`never: ${what}`);
}

Deno.test("startPiece() begins at the newest keyframe, else at next", () => {
  const seg = (n: number, keyframe: boolean) => ({ n, keyframe });
  deepEqual(
    startPiece({ generation: 1, init: "", segments: [seg(3, true), seg(4, false)], next: 5 }),
    { n: 3, keyframe: true },
  );
  deepEqual(startPiece({ generation: 1, init: "", segments: [seg(4, false)], next: 5 }), {
    n: 5,
    keyframe: false,
  });
  equal(parseIndex({ generation: "1" }), null);
  equal(parseIndex(null), null);
});

Deno.test("PullTrack plays init then pieces from the newest keyframe, long-polling the next", async () => {
  const origin = new FakeOrigin();
  origin.push(true);
  origin.push();
  origin.push(true);
  origin.push();
  const { played, track, clocks } = player(origin);
  track.start();
  await until(() => played.length === 3, "init and two pieces");
  deepEqual(played, ['init 7 video/webm; codecs="vp8"', "7:2 key", "7:3"]);
  deepEqual(clocks, [1_700_000_000_000], "the init's X-Clock-Ms");
  origin.push();
  origin.push(true);
  await until(() => played.length === 5, "two live pieces");
  deepEqual(played.slice(3), ["7:4", "7:5 key"]);
  equal(origin.requests.filter((u) => u.endsWith("/segments")).length, 1, "index read once");
  track.stop();
});

Deno.test("PullTrack re-inits on a new generation and re-joins after falling out of the buffer", async () => {
  const origin = new FakeOrigin();
  origin.push(true);
  const { played, track } = player(origin);
  track.start();
  await until(() => played.length === 2, "first piece");
  origin.reinit();
  origin.push(true);
  await until(() => played.length === 4, "the new generation");
  deepEqual(played.slice(2), ['init 8 video/webm; codecs="vp8"', "8:0 key"]);

  // The viewer stalls while the server's buffer moves past it: a 410, then the newest keyframe.
  track.stop();
  for (let i = 1; i < 10; i++) origin.push(i === 6);
  origin.oldest = 5;
  track.start();
  await until(() => played.includes("8:6 key"), "rejoin at the newest keyframe");
  equal(played.includes("8:1"), false);
  track.stop();
});

Deno.test("PullTrack waits while the track is not live and says when it goes away", async () => {
  const origin = new FakeOrigin();
  origin.live = false;
  const { played, track } = player(origin);
  track.start();
  await until(() => track.stats.indexReads >= 3, "a few index reads");
  equal(played.length, 0, "nothing to play, no gone before it was ever live");
  origin.live = true;
  origin.push(true);
  await until(() => played.length === 2, "live");
  origin.live = false;
  origin.push();
  await until(() => played.includes("gone"), "gone");
  track.stop();
});

Deno.test("PullTrack skips to a keyframe when it has to begin mid-stream", async () => {
  const origin = new FakeOrigin();
  origin.push(false);
  const { played, track } = player(origin);
  track.start();
  await until(() => played.length === 1, "init");
  origin.push(false);
  origin.push(true);
  await until(() => played.length === 2, "the keyframe");
  deepEqual(played, ['init 7 video/webm; codecs="vp8"', "7:2 key"]);
  track.stop();
});

Deno.test("PullTrack that falls more than maxBehind pieces behind skips to the newest keyframe", async () => {
  const origin = new FakeOrigin();
  origin.push(true);
  const clock = { t: 0 };
  const { played, track } = player(origin, clock);
  track.start();
  await until(() => played.length === 2, "first piece");
  // A burst the viewer cannot keep up with: by the time it has piece 3, time is up for a check.
  for (let i = 1; i <= 33; i++) origin.push(i === 28);
  const onMedia = track.onMedia;
  track.onMedia = (bytes, key, n) => {
    onMedia(bytes, key, n);
    if (n === 3) clock.t += 2500;
  };
  await until(() => played.includes("7:28 key"), "the skip to the newest keyframe");
  deepEqual(played.slice(1, 5), ["7:0 key", "7:1", "7:2", "7:3"]);
  equal(played[5], "7:28 key", "nothing between the check and the keyframe");
  equal(track.stats.skips, 1);
  track.stop();
});

Deno.test("PullTrack keeps going after a callback throws", async () => {
  const origin = new FakeOrigin();
  origin.push(true);
  const { played, track } = player(origin);
  const onMedia = track.onMedia;
  let thrown = false;
  track.onMedia = (bytes, key, n) => {
    if (!thrown) {
      thrown = true;
      throw new Error("a player bug");
    }
    onMedia(bytes, key, n);
  };
  track.start();
  origin.push();
  await until(() => played.some((p) => p.startsWith("7:")), "media after the throw");
  track.stop();
});

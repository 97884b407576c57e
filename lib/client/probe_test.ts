import assert from "node:assert/strict";
import { probe, tooFastToTime } from "./probe.ts";

/** A response whose body comes in `chunks` pieces, each advancing the clock by `msEach`. */
function fakeFetch(clock: { t: number }, status: number, chunks: number, msEach: number) {
  const urls: string[] = [];
  const fetch = (url: string) => {
    urls.push(url);
    clock.t += 150; // the round trip does not count
    let left = chunks;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (left-- === 0) return c.close();
        clock.t += msEach;
        c.enqueue(new Uint8Array(1000));
      },
    }, { highWaterMark: 0 }); // no read before the client asks
    return Promise.resolve(new Response(status === 200 ? body : "{}", { status }));
  };
  return { fetch, urls };
}

Deno.test("probe: the body's rate, without the round trip", async () => {
  const clock = { t: 0 };
  const { fetch, urls } = fakeFetch(clock, 200, 8, 125);
  const bps = await probe(8000, { fetch, now: () => clock.t });
  assert.deepEqual(urls, ["/api/probe?bytes=8000"]);
  assert.equal(bps, 64_000); // the 7 chunks after the first: 7000 bytes in 875 ms
});

Deno.test("probe: a body that comes at once is fast, not infinite; failures are null", async () => {
  const clock = { t: 0 };
  const at0 = await probe(2000, { fetch: fakeFetch(clock, 200, 2, 0).fetch, now: () => clock.t });
  assert.equal(at0, (1000 * 8 * 1000) / 10);
  assert.equal(await probe(10, { fetch: fakeFetch(clock, 429, 0, 0).fetch, now: () => 0 }), null);
  const fail = () => Promise.reject(new TypeError("offline"));
  assert.equal(await probe(10, { fetch: fail, now: () => 0 }), null);
});

Deno.test("probe: a rate that only the 10 ms floor bounds is too fast to time", () => {
  assert.ok(tooFastToTime(4096, (4096 * 8 * 1000) / 10)); // the floor itself
  assert.ok(!tooFastToTime(4096, 64_000)); // 4 KiB over a 64 kbit/s link: half a second
});

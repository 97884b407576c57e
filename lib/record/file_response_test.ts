import { deepEqual, equal } from "node:assert/strict";
import { fileResponse, parseRange } from "./file_response.ts";

Deno.test("parseRange() reads one range, suffixes and open ends; refuses unsatisfiable ones", () => {
  deepEqual(parseRange("bytes=0-9", 100), { start: 0, end: 9 });
  deepEqual(parseRange("bytes=90-", 100), { start: 90, end: 99 });
  deepEqual(parseRange("bytes=-10", 100), { start: 90, end: 99 });
  deepEqual(parseRange("bytes=50-500", 100), { start: 50, end: 99 });
  equal(parseRange("bytes=100-", 100), "bad");
  equal(parseRange("bytes=5-1", 100), "bad");
  equal(parseRange("bytes=0-1,5-6", 100), null);
  equal(parseRange(null, 100), null);
});

Deno.test("fileResponse() answers 206 for a range, 416 past the end, 304 for its ETag", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeFile(path, new TextEncoder().encode("0123456789"));
    const get = (headers: Record<string, string>) =>
      fileResponse(new Request("http://x/f", { headers }), path, "video/webm");
    const whole = await get({});
    equal(whole.status, 200);
    equal(whole.headers.get("accept-ranges"), "bytes");
    equal(await whole.text(), "0123456789");
    const part = await get({ range: "bytes=2-4" });
    equal(part.status, 206);
    equal(part.headers.get("content-range"), "bytes 2-4/10");
    equal(await part.text(), "234");
    const past = await get({ range: "bytes=10-" });
    equal(past.status, 416);
    equal(past.headers.get("content-range"), "bytes */10");
    await past.body?.cancel();
    const etag = whole.headers.get("etag")!;
    const cached = await get({ "if-none-match": etag });
    equal(cached.status, 304);
    const changed = await get({ range: "bytes=0-0", "if-range": '"other"' });
    equal(changed.status, 200);
    await changed.body?.cancel();
  } finally {
    await Deno.remove(path);
  }
});

import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import { zipStream } from "./zip_stream.ts";

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("zipStream() stores in-memory and streamed files that unzip byte for byte", async () => {
  const big = crypto.getRandomValues(new Uint8Array(60_000));
  const bytes = await collect(zipStream([
    { name: "index.html", data: new TextEncoder().encode("<!doctype html>") },
    { name: "camera.webm", open: () => Promise.resolve(chunked(big, 7000)) },
    { name: "empty.txt", open: () => Promise.resolve(chunked(new Uint8Array(0), 10)) },
  ]));
  const files = unzipSync(bytes);
  assert.deepEqual(Object.keys(files), ["index.html", "camera.webm", "empty.txt"]);
  assert.equal(new TextDecoder().decode(files["index.html"]), "<!doctype html>");
  assert.deepEqual(files["camera.webm"], big);
  assert.equal(files["empty.txt"].length, 0);
  // Stored, not deflated: the archive is the data plus small headers.
  assert.ok(bytes.length < big.length + 1000, `${bytes.length}`);
});

Deno.test("zipStream() reads a file only as fast as the archive is consumed", async () => {
  let pulled = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      pulled++;
      if (pulled > 1000) return c.close();
      c.enqueue(new Uint8Array(1024));
    },
  }, { highWaterMark: 0 });
  const reader = zipStream([{ name: "a.bin", open: () => Promise.resolve(source) }]).getReader();
  for (let i = 0; i < 5; i++) await reader.read();
  assert.ok(pulled <= 8, `read ${pulled} chunks of the file for 5 chunks of archive`);
  await reader.cancel();
});

/**
 * One stalled plain-HTTP viewer (`/s/:id/camera/live`) never slows the
 * others and holds only bounded memory: its connection asks for the stream
 * and then reads nothing, so once the sockets' and Deno's own buffers are
 * full (Deno takes at most 64 KiB of views and 64 KiB into its writer, see
 * lib/egress/http_live.ts) the server's Subscriber skips it ahead instead of
 * queueing, while an HTTP viewer that reads gets every byte, in order.
 */
import assert from "node:assert/strict";
import { encodeClient } from "../lib/protocol.ts";
import { concat } from "../lib/media/bytes.ts";
import { streamSource } from "../bench/stream_source.ts";
import { startTestServer } from "./server.ts";
import { createRoom, publish, sendChunks } from "./ws_clients.ts";

/** An HTTP viewer on a raw TCP socket that reads the response head and then never reads again. */
async function stalledHttpViewer(port: number, path: string): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
  const buf = new Uint8Array(1024);
  const n = await conn.read(buf);
  assert.match(new TextDecoder().decode(buf.subarray(0, n ?? 0)), /^HTTP\/1.1 200/);
  return conn;
}

Deno.test("an HTTP viewer that reads nothing is skipped ahead while a reading HTTP viewer gets every byte", async () => {
  // A skip limit well above what a loaded machine's reading viewer lags; the stalled one lags
  // without bound.
  const server = await startTestServer({ maxLagMs: 5000 });
  const source = await streamSource(30, 100, 4000);
  let slow: Deno.TcpConn | null = null;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  try {
    const { id, key } = await createRoom(server.origin);
    const presenter = await publish(server.origin, id, key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    presenter.ws.send(encodeClient({ type: "track-start", track: "camera", mime: source.mime }));
    const room = server.state.hub.get(id);
    await presenter.until(() => room.track("camera") !== undefined, 5000, "the camera track");
    const live = `/s/${id}/camera/live`;
    const fast = await fetch(`${server.origin}${live}`);
    assert.equal(fast.status, 200);
    const received: Uint8Array[] = [];
    const open = reader = fast.body!.getReader();
    const reading = (async () => {
      for (let r = await open.read(); !r.done; r = await open.read()) received.push(r.value);
    })();
    slow = await stalledHttpViewer(server.port, live);
    assert.equal(room.viewers, 2);
    // 30 s of 4 Mbit/s media (15 MB) in about 15 s: far more than the stalled connection's
    // socket buffers and Deno's 128 KiB hold.
    await sendChunks(presenter, "camera", source.chunks, 2);
    const sent = source.chunks.map((c) => c.bytes);
    const track = room.track("camera")!;
    const stats = () => track.stats(server.state.now());
    const got = () => received.reduce((n, c) => n + c.byteLength, 0);
    await presenter.until(
      () => stats().bytesIn === concat(sent).byteLength && got() === stats().bytesIn,
      30_000, // a harness wait: the last bytes may still be on their way on a busy machine
      "the reading viewer to receive every byte",
    ).catch((err) => {
      throw new Error(`${err.message}: got ${got()} of ${stats().bytesIn} bytes`);
    });
    // The server passes WebM through unchanged: the body is the published stream, in order.
    assert.deepEqual(concat(received), concat(sent));
    assert.ok(stats().skipped > 0, `the stalled viewer was skipped ahead (${stats().skipped})`);
    assert.ok(
      server.logs.some((l) => /viewer too slow, skipped \d+ segments \(http viewer/.test(l)),
      "the skip was logged",
    );
    assert.equal(room.viewers, 2, "the stalled viewer stays connected until it stalls for good");
    await open.cancel();
    await reading;
    await presenter.close();
  } finally {
    slow?.close();
    // The server's shutdown waits for open responses: end the reading viewer's too.
    await reader?.cancel().catch(() => {});
    await server.close();
  }
});

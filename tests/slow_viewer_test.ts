/**
 * One slow viewer never slows the others: a viewer whose TCP connection reads
 * nothing after its hello is skipped ahead by the server, while a normal
 * viewer on the same track receives every segment, in order, on time.
 */
import assert from "node:assert/strict";
import { encodeClient, PROTOCOL_VERSION } from "../lib/protocol.ts";
import { streamSource } from "../bench/stream_source.ts";
import { startTestServer } from "./server.ts";
import { createRoom, publish, replay, watch } from "./ws_clients.ts";

/** A WebSocket client on a raw TCP socket that says hello and then never reads again. */
async function stalledViewer(port: number, room: string): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const enc = new TextEncoder();
  await conn.write(enc.encode(
    `GET /api/rooms/${room}/watch HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  ));
  const buf = new Uint8Array(1024);
  const n = await conn.read(buf);
  assert.match(new TextDecoder().decode(buf.subarray(0, n ?? 0)), /^HTTP\/1.1 101/);
  const payload = enc.encode(
    encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "viewer", room }),
  );
  const mask = [1, 2, 3, 4];
  const frame = new Uint8Array([
    0x81,
    0x80 | payload.length,
    ...mask,
    ...payload.map((b, i) => b ^ mask[i % 4]),
  ]);
  await conn.write(frame);
  return conn;
}

Deno.test("a viewer that reads nothing is skipped ahead while a fast viewer gets every segment", async () => {
  const server = await startTestServer({ maxLagMs: 1000 });
  const source = await streamSource(30, 100, 4000);
  let slow: Deno.TcpConn | null = null;
  try {
    const { id, key } = await createRoom(server.origin);
    const fast = await watch(server.origin, id);
    slow = await stalledViewer(server.port, id);
    const presenter = await publish(server.origin, id, key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    // 30 s of 4 Mbit/s media (15 MB) in about 7.5 s: far more than the stalled socket's buffers hold.
    await replay(presenter, "camera", source, { speed: 4 });
    const track = server.state.hub.get(id).track("camera")!;
    const segmentsIn = () => track.stats(server.state.now()).segmentsIn;
    await fast.until(
      () => fast.frames.length === segmentsIn(),
      30_000, // a harness wait: the last segments may still be on their way on a busy machine
      "the fast viewer to receive every segment",
    ).catch((err) => {
      const got = fast.frames.filter((f) => f.kind === "media").length;
      throw new Error(
        `${err.message}: got ${got} of ${segmentsIn()}; ${
          JSON.stringify(track.stats(server.state.now()))
        }`,
      );
    });
    const media = fast.frames.filter((f) => f.kind === "media");
    const times = media.map((f) => f.kind === "media" ? f.timestampMs : 0);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), "in order");
    assert.equal(fast.frames[0].kind, "init");
    // The room's figures: the recorder also watches the track but is nobody's viewer.
    const stats = server.state.hub.get(id).stats(server.state.now()).tracks[0];
    assert.ok(
      stats.skipped > 0,
      `the stalled viewer was skipped ahead (${stats.skipped} segments)`,
    );
    assert.ok(
      server.logs.some((l) => /viewer too slow, skipped \d+ segments/.test(l)),
      "the skip was logged",
    );
    assert.equal(stats.viewers, 2, "the stalled viewer stays connected until it stalls for good");
    await fast.close();
    await presenter.close();
  } finally {
    slow?.close();
    await server.close();
  }
});

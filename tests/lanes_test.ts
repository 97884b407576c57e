/**
 * Over real sockets: a viewer's main connection gets a lane token in its
 * `welcome`; a second socket naming it is a media-only lane (its own tracks, `subscribe`,
 * `stats` with its own delivery, no chat, state or slides), not counted and
 * let into a full room; a newer lane replaces the older (4009), an unknown
 * token is refused (1008), and closing the main connection closes its lane
 * (1000).
 */
import assert from "node:assert/strict";
import { encodeClient, LANE_TOKEN, type ServerMessage } from "../lib/protocol.ts";
import { STATS_INTERVAL_MS } from "../lib/session/session.ts";
import { startTestServer } from "./server.ts";
import { createRoom, lane, loadFixture, publish, replay, watch } from "./ws_clients.ts";

type Welcome = Extract<ServerMessage, { type: "welcome" }>;
const welcomeOf = (messages: ServerMessage[]) =>
  messages.find((m): m is Welcome => m.type === "welcome");

Deno.test("a lane carries its own tracks and stats, is not counted, and lives with its main socket", async () => {
  // No recorder (it would watch every track); one viewer fills the room.
  const server = await startTestServer({ record: false, maxViewers: 1 });
  try {
    const room = await createRoom(server.origin);
    const [voice, camera] = await Promise.all([
      loadFixture("opus.webm"),
      loadFixture("canvas-vp8.webm"),
    ]);
    const main = await watch(server.origin, room.id, "Ann", ["audio"]);
    await main.until(() => !!welcomeOf(main.messages), 5_000, "the main welcome");
    const token = welcomeOf(main.messages)!.lane!;
    assert.match(token, LANE_TOKEN);
    assert.ok(token.length >= 16, "at least 96 bits");

    const presenter = await publish(server.origin, room.id, room.key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    const publishing = Promise.all([
      replay(presenter, "audio", voice),
      replay(presenter, "camera", camera),
    ]);

    // The room is full (one viewer), yet the lane gets in.
    const first = await lane(server.origin, room.id, token, ["camera"]);
    await first.until(() => !!welcomeOf(first.messages), 5_000, "the lane's welcome");
    assert.equal(welcomeOf(first.messages)!.lane, token);
    await first.until(
      () => first.frames.some((f) => f.kind === "media" && f.track === "camera"),
      5_000,
      "camera media on the lane",
    );
    await main.until(() => main.frames.some((f) => f.kind === "media"), 5_000, "voice on main");
    assert.deepEqual([...new Set(first.frames.map((f) => f.track))], ["camera"]);
    assert.deepEqual([...new Set(main.frames.map((f) => f.track))], ["audio"]);

    await first.until(
      () => first.messages.some((m) => m.type === "stats" && (m.delivery?.sentBytes ?? 0) > 0),
      3 * STATS_INTERVAL_MS,
      "stats with the lane's own delivery",
    );
    const detail = await (await fetch(`${server.origin}/api/rooms/${room.id}`)).json();
    assert.equal(detail.viewers, 1, "the lane is not a viewer of its own");
    const cameraTrack = detail.tracks.find((t: { name: string }) => t.name === "camera");
    assert.equal(cameraTrack.viewers, 1, "the lane watches the camera");

    // `subscribe` works on a lane: the voice begins with its init.
    first.ws.send(encodeClient({ type: "subscribe", tracks: ["camera", "audio"] }));
    await first.until(
      () => first.frames.some((f) => f.kind === "init" && f.track === "audio"),
      5_000,
      "the voice's init on the lane",
    );

    // Media only: chat is refused with a reason and the lane stays.
    first.ws.send(encodeClient({ type: "chat", text: "hi" }));
    await first.until(() => first.messages.some((m) => m.type === "error"), 5_000, "an error");
    const types = new Set(first.messages.map((m) => m.type));
    for (const type of types) {
      assert.ok(["welcome", "stats", "error", "ping", "pong"].includes(type), type);
    }
    assert.ok(main.messages.some((m) => m.type === "state"));
    assert.ok(main.messages.some((m) => m.type === "slide"));

    // A second lane with the same token replaces the first.
    const second = await lane(server.origin, room.id, token, ["camera"]);
    const replaced = await first.closed;
    assert.equal(replaced.code, 4009);
    assert.equal(replaced.reason, "replaced");
    await second.until(() => !!welcomeOf(second.messages), 5_000, "the new lane's welcome");

    // A token nobody holds.
    const stranger = await lane(server.origin, room.id, "AAAAAAAAAAAAAAAAAAAAAA");
    const refused = await stranger.closed;
    assert.equal(refused.code, 1008);
    assert.equal(refused.reason, "unknown lane; reconnect the main socket");

    // The main socket closes: its lane follows, and the token is gone.
    await main.close();
    const ended = await second.closed;
    assert.equal(ended.code, 1000);
    const late = await lane(server.origin, room.id, token);
    assert.equal((await late.closed).code, 1008);

    await publishing;
    await presenter.close();
  } finally {
    await server.close();
  }
});

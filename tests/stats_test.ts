/**
 * Over real sockets: the presenter's clock in `track-start` reaches every
 * viewer in the track's init frame (lip sync), a viewer that lists its tracks
 * in `hello` gets only those (`subscribe` changes them), and the server sends `stats` every 2 s: to the
 * publisher the keyframe spacing per track (the studio's sparse-keyframe
 * fallback), to a viewer also its own queue, backlog and skips. A publisher
 * that stalls shows in `stats` as the track's `idleMs` until it sends again.
 */
import assert from "node:assert/strict";
import { encodeClient, type ServerMessage } from "../lib/protocol.ts";
import { STATS_INTERVAL_MS } from "../lib/session/session.ts";
import { startTestServer } from "./server.ts";
import { createRoom, loadFixture, publish, replay, sendChunks, watch } from "./ws_clients.ts";

type Stats = Extract<ServerMessage, { type: "stats" }>;
const stats = (messages: ServerMessage[]) => messages.filter((m): m is Stats => m.type === "stats");

Deno.test("init frames carry the presenter's clock; hello.tracks picks tracks; stats every 2 s", async () => {
  // No recorder: it would watch every track too and count as a viewer.
  const server = await startTestServer({ record: false });
  try {
    const room = await createRoom(server.origin);
    const [voice, camera] = await Promise.all([
      loadFixture("opus.webm"),
      loadFixture("canvas-vp8.webm"),
    ]);
    const all = await watch(server.origin, room.id);
    const audioOnly = await watch(server.origin, room.id, undefined, ["audio"]);
    const presenter = await publish(server.origin, room.id, room.key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    const clock = 1_700_000_000_000.5;
    await Promise.all([
      replay(presenter, "audio", voice, { clockMs: clock }),
      replay(presenter, "camera", camera, { clockMs: clock + 40 }),
    ]);

    const initOf = (frames: typeof all.frames, track: string) =>
      frames.find((f) => f.kind === "init" && f.track === track);
    await all.until(() => !!initOf(all.frames, "audio") && !!initOf(all.frames, "camera"));
    const audioInit = initOf(all.frames, "audio");
    assert.equal(audioInit?.kind === "init" && audioInit.clockMs, clock);
    const cameraInit = initOf(all.frames, "camera");
    assert.equal(cameraInit?.kind === "init" && cameraInit.clockMs, clock + 40);

    await audioOnly.until(() => audioOnly.frames.some((f) => f.kind === "media"));
    assert.deepEqual([...new Set(audioOnly.frames.map((f) => f.track))], ["audio"]);
    // `subscribe` switches mid-session: the camera begins with its init.
    audioOnly.ws.send(encodeClient({ type: "subscribe", tracks: ["audio", "camera"] }));
    await audioOnly.until(() => !!initOf(audioOnly.frames, "camera"), 5_000, "the camera's init");

    // Stats: the publisher learns each track's keyframe spacing; viewers their delivery.
    await presenter.until(
      () => stats(presenter.messages).some((s) => s.tracks.length === 2),
      3 * STATS_INTERVAL_MS,
      "stats to the publisher",
    );
    // Stats taken after the subscribe above reached the server: the camera has both viewers.
    await presenter.until(
      () =>
        stats(presenter.messages).at(-1)?.tracks.find((t) => t.name === "camera")?.viewers === 2,
      3 * STATS_INTERVAL_MS,
      "stats counting the new camera viewer",
    );
    const last = stats(presenter.messages).at(-1)!;
    assert.equal(last.delivery, undefined);
    const cam = last.tracks.find((t) => t.name === "camera")!;
    assert.ok(cam.keyframeIntervalMs !== null && cam.keyframeIntervalMs > 0, JSON.stringify(cam));
    assert.equal(cam.viewers, 2, "the audio-only viewer subscribed to the camera too");
    assert.equal(last.tracks.find((t) => t.name === "audio")?.viewers, 2);

    await audioOnly.until(
      () => stats(audioOnly.messages).some((s) => (s.delivery?.sentBytes ?? 0) > 0),
      3 * STATS_INTERVAL_MS,
      "stats with delivery to the viewer",
    );
    const mine = stats(audioOnly.messages).at(-1)!.delivery!;
    assert.equal(mine.skipped, 0);
    assert.ok(mine.queued >= 0 && mine.pendingBytes >= 0, JSON.stringify(mine));

    // Stats come at the interval, not per tick.
    const times: number[] = [];
    const count = () => stats(all.messages).length;
    const n0 = count();
    await all.until(
      () => {
        if (count() > n0 + times.length) times.push(performance.now());
        return times.length >= 2;
      },
      4 * STATS_INTERVAL_MS,
      "two more stats",
    );
    const gap = times[1] - times[0];
    assert.ok(gap > STATS_INTERVAL_MS * 0.7 && gap < STATS_INTERVAL_MS * 1.8, `gap ${gap} ms`);

    await Promise.all([all.close(), audioOnly.close(), presenter.close()]);
  } finally {
    await server.close();
  }
});

Deno.test("a publisher that stalls mid-stream shows in every viewer's stats as idleMs, until it sends again", async () => {
  const server = await startTestServer({ record: false });
  try {
    const room = await createRoom(server.origin);
    const voice = await loadFixture("opus.webm");
    const viewer = await watch(server.origin, room.id);
    const presenter = await publish(server.origin, room.id, room.key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    const idle = () =>
      stats(viewer.messages).map((s) => s.tracks.find((t) => t.name === "audio")?.idleMs);
    // 1.2 s of voice, then the stall: nothing until a viewer's stats say so.
    await replay(presenter, "audio", { mime: voice.mime, chunks: voice.chunks.slice(0, 10) });
    const stalled = idle().length;
    await viewer.until(
      () => idle().slice(stalled).some((ms) => ms !== undefined && ms >= 500),
      3 * STATS_INTERVAL_MS,
      "stats with idleMs",
    );
    // Sending again, at half speed so that it flows across two stats: the next ones drop it.
    const resumed = idle().length;
    const rest = voice.chunks.slice(10);
    const sending = sendChunks(
      presenter,
      "audio",
      rest.map((c) => ({ bytes: c.bytes, atMs: c.atMs - rest[0].atMs })),
      0.5,
    );
    await viewer.until(
      () => idle().slice(resumed).some((ms) => ms === undefined),
      3 * STATS_INTERVAL_MS,
      "stats without idleMs after the stall",
    );
    await sending;
    await Promise.all([viewer.close(), presenter.close()]);
  } finally {
    await server.close();
  }
});

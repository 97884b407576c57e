/**
 * Recording end to end over real sockets: a presenter publishes real
 * MediaRecorder recordings with their recorded pacing; the server records
 * them with the room's events, finishes seekable files and serves them with
 * byte ranges; re-init gives playable parts; --no-record records nothing;
 * retention deletes the oldest at startup.
 */
import assert from "node:assert/strict";
import { encodeClient } from "../lib/protocol.ts";
import type { RecordingView } from "../lib/record/recording_view.ts";
import { decodeErrors, probe } from "../lib/record/_testing.ts";
import { startTestServer } from "./server.ts";
import { finished, getJson, storedRecording, until } from "./recording_helpers.ts";
import { createRoom, loadFixture, publish, replay, watch } from "./ws_clients.ts";

Deno.test("a live lesson is recorded with its events; files seek and serve byte ranges", async () => {
  const server = await startTestServer({}, { recordGraceMs: 300 });
  try {
    const fixture = await loadFixture("vp8-opus.webm");
    const { id: roomId, key } = await createRoom(server.origin, "Algebra");
    const presenter = await publish(server.origin, roomId, key);
    const viewer = await watch(server.origin, roomId, "Ada");
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    let recordingId: string | null = null;
    await replay(presenter, "camera", fixture, {
      onChunk: async (i) => {
        if (i !== 15) return;
        const room = await getJson<{ recordingId: string | null; viewers: number }>(
          `${server.origin}/api/rooms/${roomId}`,
        );
        recordingId = room.recordingId;
        assert.equal(room.viewers, 1, "the recorder is not a viewer");
        viewer.ws.send(encodeClient({ type: "chat", text: "What is x?" }));
        await fetch(`${server.origin}/api/rooms/${roomId}`, {
          method: "PATCH",
          headers: { authorization: `Bearer ${key}` },
          body: JSON.stringify({ title: "Algebra: equations" }),
        }).then((r) => r.body?.cancel());
        // While recording, the growing file is served too.
        const growing = await fetch(`${server.origin}/recordings/${recordingId}/camera.webm`, {
          headers: { range: "bytes=0-3" },
        });
        assert.equal(growing.status, 206);
        assert.deepEqual([...new Uint8Array(await growing.arrayBuffer())], [
          0x1a,
          0x45,
          0xdf,
          0xa3,
        ]);
      },
    });
    assert.match(recordingId ?? "", /^[A-Za-z0-9_-]{22}$/);
    presenter.ws.send(encodeClient({ type: "track-stop", track: "camera" }));
    const view = await finished(server.origin, recordingId!);

    assert.equal(view.title, "Algebra: equations");
    assert.equal(view.roomId, roomId);
    assert.equal(view.replayUrl, `/r/${recordingId}`);
    assert.equal(view.downloadUrl, `/recordings/${recordingId}/lesson.zip`);
    assert.deepEqual(view.tracks.map((t) => t.name), ["camera"]);
    const camera = view.tracks[0];
    assert.equal(camera.parts.length, 1);
    assert.equal(camera.url, `/recordings/${recordingId}/camera.webm`);
    // Media time 0 is near timeline 0; a little before when the recorder's first chunk was slower
    // than later ones (the offset follows the least-delayed keyframe).
    assert.ok(
      camera.parts[0].offsetMs > -500 && camera.parts[0].offsetMs < 1000,
      `offset ${camera.parts[0].offsetMs}`,
    );
    assert.ok(
      Math.abs(camera.parts[0].durationMs - 3958) < 100,
      `duration ${camera.parts[0].durationMs}`,
    );

    // The file has its Duration in the header and decodes cleanly, also after a seek.
    const path = `${server.state.config.dataDir}/recordings/${recordingId}/camera.webm`;
    const probed = await probe(path);
    assert.ok(
      Math.abs(probed.duration! * 1000 - camera.parts[0].durationMs) < 50,
      `${probed.duration}`,
    );
    assert.equal(await decodeErrors(path), "");
    assert.equal(await decodeErrors(path, ["-ss", "2"]), "");
    assert.equal(camera.bytes, (await Deno.stat(path)).size);

    // Byte ranges, 416 and ETag revalidation.
    const url = `${server.origin}${camera.url}`;
    const whole = await fetch(url);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get("accept-ranges"), "bytes");
    assert.equal((await whole.arrayBuffer()).byteLength, camera.bytes);
    const etag = whole.headers.get("etag")!;
    const head = await fetch(url, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), String(camera.bytes));
    assert.equal(head.headers.get("etag"), etag);
    const tail = await fetch(url, { headers: { range: "bytes=-100" } });
    assert.equal(tail.status, 206);
    assert.equal(
      tail.headers.get("content-range"),
      `bytes ${camera.bytes - 100}-${camera.bytes - 1}/${camera.bytes}`,
    );
    assert.equal((await tail.arrayBuffer()).byteLength, 100);
    const past = await fetch(url, { headers: { range: `bytes=${camera.bytes}-` } });
    assert.equal(past.status, 416);
    await past.body?.cancel();
    const again = await fetch(url, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    const missing = await fetch(`${server.origin}/recordings/${recordingId}/slides.webm`);
    assert.equal(missing.status, 404);
    assert.match((await missing.json()).error, /has camera\.webm/);

    // The events, on the recording's clock.
    const { events } = await getJson<{ events: Array<Record<string, unknown>> }>(
      `${server.origin}${view.eventsUrl}`,
    );
    const types = events.map((e) => e.type);
    for (const type of ["title", "live", "track-start", "track-init", "chat", "track-stop"]) {
      assert.ok(types.includes(type), `${type} in ${types}`);
    }
    assert.equal(events[0].type, "title");
    assert.equal(events[0].title, "Algebra");
    const chat = events.find((e) => e.type === "chat")!;
    assert.equal(chat.text, "What is x?");
    assert.equal(chat.name, "Ada");
    const rename = events.find((e) => e.type === "title" && e.title === "Algebra: equations")!;
    // Both happened at chunk 15 (~1.8 s into the stream).
    assert.ok(Math.abs((chat.t as number) - 1800) < 1000, `chat at ${chat.t}`);
    assert.ok(Math.abs((rename.t as number) - 1800) < 1000, `rename at ${rename.t}`);
    const room = await getJson<{ recordingId: string | null }>(
      `${server.origin}/api/rooms/${roomId}`,
    );
    assert.equal(room.recordingId, null);
    await presenter.close();
    await viewer.close();
  } finally {
    await server.close();
  }
});

Deno.test("PATCH and DELETE a recording need the room key; unlisted ones leave the list but not the admin's", async () => {
  const admin = "a-long-admin-token-for-tests";
  const server = await startTestServer({ adminToken: admin }, { recordGraceMs: 200 });
  try {
    const fixture = await loadFixture("opus.webm");
    const { id: roomId, key } = await createRoom(server.origin, "Choir");
    const presenter = await publish(server.origin, roomId, key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    await replay(presenter, "audio", fixture, { speed: 4 });
    await presenter.close();
    const [listed] = await until(
      () =>
        getJson<RecordingView[]>(`${server.origin}/api/recordings`).then((l) =>
          l.length ? l : null
        ),
      "the recording to be listed",
    );
    const id = listed.id;
    await finished(server.origin, id);
    const api = `${server.origin}/api/recordings/${id}`;
    const patch = (auth: string, body: unknown) =>
      fetch(api, {
        method: "PATCH",
        headers: { authorization: `Bearer ${auth}` },
        body: JSON.stringify(body),
      });
    const wrong = await patch("nope", { title: "x" });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const bad = await patch(key, { unlisted: "yes" });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error, /"unlisted" must be true or false/);
    const renamed = await patch(key, { title: "  Choir practice ", unlisted: true });
    assert.equal(renamed.status, 200);
    const view: RecordingView = await renamed.json();
    assert.equal(view.title, "Choir practice");
    assert.equal(view.unlisted, true);
    assert.deepEqual(await getJson(`${server.origin}/api/recordings`), []);
    const mine = await getJson<RecordingView[]>(`${server.origin}/api/recordings?room=${roomId}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.deepEqual(mine.map((r) => r.id), [id]);
    const asAdmin = await getJson<RecordingView[]>(`${server.origin}/api/recordings`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.deepEqual(asAdmin.map((r) => r.id), [id], "the operator sees unlisted lessons");
    const del = await fetch(api, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });
    assert.equal(del.status, 204);
    assert.equal((await fetch(api)).status, 404);
    await assert.rejects(Deno.stat(`${server.state.config.dataDir}/recordings/${id}`));
    const unknown = await fetch(`${server.origin}/api/recordings/not-an-id`);
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("a re-init mid-lesson starts a second part; both play, on one timeline", async () => {
  const server = await startTestServer({}, { recordGraceMs: 60_000 });
  try {
    const fixture = await loadFixture("vp8-opus.webm");
    const { id: roomId, key } = await createRoom(server.origin);
    const presenter = await publish(server.origin, roomId, key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    // At the recorded pace: media sent faster than real time would pull offsets (by design).
    await replay(presenter, "camera", fixture);
    await replay(presenter, "camera", fixture); // a new MediaRecorder: new init
    const room = await getJson<{ recordingId: string }>(`${server.origin}/api/rooms/${roomId}`);
    await fetch(`${server.origin}/api/rooms/${roomId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}` },
    }).then((r) => r.body?.cancel());
    const view = await finished(server.origin, room.recordingId);
    const parts = view.tracks[0].parts;
    assert.deepEqual(parts.map((p) => p.url.split("/").pop()), ["camera.webm", "camera-2.webm"]);
    assert.ok(
      parts[1].offsetMs >= parts[0].offsetMs + 1500,
      `offsets ${parts.map((p) => p.offsetMs)}`,
    );
    for (const part of parts) {
      const path = `${server.state.config.dataDir}${part.url}`;
      assert.equal(await decodeErrors(path), "");
      const probed = await probe(path);
      assert.ok(Math.abs(probed.duration! * 1000 - part.durationMs) < 50);
    }
    await presenter.close();
  } finally {
    await server.close();
  }
});

Deno.test("--no-record records nothing", async () => {
  const server = await startTestServer({ record: false });
  try {
    const fixture = await loadFixture("opus.webm");
    const { id: roomId, key } = await createRoom(server.origin);
    const presenter = await publish(server.origin, roomId, key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    await replay(presenter, "audio", fixture, { speed: 4 });
    const room = await getJson<{ recordingId: string | null; live: boolean }>(
      `${server.origin}/api/rooms/${roomId}`,
    );
    assert.equal(room.live, true);
    assert.equal(room.recordingId, null);
    assert.deepEqual(await getJson(`${server.origin}/api/recordings`), []);
    assert.deepEqual([...Deno.readDirSync(`${server.state.config.dataDir}/recordings`)], []);
    await presenter.close();
  } finally {
    await server.close();
  }
});

Deno.test("retention at startup deletes recordings past --keep-days, then the oldest over the size limit", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chalkcast-retention-" });
  const day = 86_400_000;
  const now = Date.now();
  const make = (id: string, startedAt: number, bytes: number) =>
    storedRecording(dataDir, id, { startedAt, bytes });
  const ids = ["a".repeat(22), "b".repeat(22), "c".repeat(22), "d".repeat(22)];
  await make(ids[0], now - 40 * day, 1000); // older than 30 days
  await make(ids[1], now - 3 * day, 400_000); // oldest within the limit: over the size budget
  await make(ids[2], now - 2 * day, 400_000);
  await make(ids[3], now - 1 * day, 400_000);
  const server = await startTestServer({ dataDir, keepDays: 30, maxRecordingsGb: 0.001 });
  try {
    const list = await getJson<RecordingView[]>(`${server.origin}/api/recordings`);
    assert.deepEqual(list.map((r) => r.id), [ids[3], ids[2]]);
  } finally {
    await server.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

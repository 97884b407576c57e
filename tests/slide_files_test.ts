/**
 * Slide images leave the data directory once nothing needs them (docs/api.md
 * "GET /slides/:file"): a replaced deck's and an ended room's at once, a
 * recorded lesson's when its recording is deleted, and at startup whatever no
 * kept recording names. Real server, real HTTP, real images.
 */
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "./server.ts";
import { call, uploadDeck } from "./slide_decks.ts";
import { finished, storedRecording, until } from "./recording_helpers.ts";
import { createRoom, loadFixture, publish, replay } from "./ws_clients.ts";

const slideFiles = (server: TestServer) =>
  [...Deno.readDirSync(`${server.state.config.dataDir}/slides`)].map((e) => e.name).sort();

/** The image files the deck on show names (visiting each page with the key). */
async function shownFiles(server: TestServer, room: { id: string; key: string }) {
  const files = new Set<string>();
  const count = (await call(server, "GET", `/api/rooms/${room.id}/slides`)).body.count as number;
  for (let index = 0; index < count; index++) {
    const slide = await call(server, "POST", `/api/rooms/${room.id}/slides/current`, {
      key: room.key,
      body: JSON.stringify({ action: "goto", index }),
    });
    for (const r of slide.body.renditions as { url: string }[]) files.add(r.url.split("/").pop()!);
  }
  return [...files].sort();
}

async function status(server: TestServer, file: string): Promise<number> {
  const res = await fetch(`${server.origin}/slides/${file}`);
  await res.body?.cancel();
  return res.status;
}

Deno.test("a replaced deck's images and an ended room's are deleted; the deck on show stays", async () => {
  const server = await startTestServer({ record: false });
  try {
    const room = await createRoom(server.origin);
    await uploadDeck(server, room, 2, 1);
    const first = await shownFiles(server, room);
    assert.equal(first.length, 8);
    assert.deepEqual(slideFiles(server), first);
    await uploadDeck(server, room, 1, 5);
    await server.state.slideSweeper.settled();
    const second = await shownFiles(server, room);
    assert.deepEqual(slideFiles(server), second, "only the deck on show is left");
    assert.equal(await status(server, first[0]), 404);
    assert.equal(await status(server, second[0]), 200);
    assert.equal(
      (await call(server, "DELETE", `/api/rooms/${room.id}`, { key: room.key })).status,
      204,
    );
    await server.state.slideSweeper.settled();
    assert.deepEqual(slideFiles(server), []);
    assert.equal(await status(server, second[0]), 404);
  } finally {
    await server.close();
  }
});

Deno.test("a recorded lesson keeps its slide images after its room ended, until the recording is deleted", async () => {
  const server = await startTestServer({}, { recordGraceMs: 300 });
  try {
    const room = await createRoom(server.origin);
    await uploadDeck(server, room, 1, 9);
    const files = await shownFiles(server, room);
    const presenter = await publish(server.origin, room.id, room.key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    await replay(presenter, "audio", await loadFixture("opus.webm"), { speed: 4 });
    const { recordingId } = (await call(server, "GET", `/api/rooms/${room.id}`)).body;
    assert.equal(typeof recordingId, "string");
    await presenter.close();
    assert.equal(
      (await call(server, "DELETE", `/api/rooms/${room.id}`, { key: room.key })).status,
      204,
    );
    await finished(server.origin, recordingId as string);
    // Any later sweep (another room's deck, retention) finds the finished recording naming them.
    await server.state.slideSweeper.sweep();
    assert.deepEqual(slideFiles(server), files, "the recording's events name them");
    assert.equal(await status(server, files[0]), 200);
    const deleted = await call(server, "DELETE", `/api/recordings/${recordingId}`, {
      key: room.key,
    });
    assert.equal(deleted.status, 204);
    await until(() => Promise.resolve(slideFiles(server).length === 0), "the images to go");
    assert.equal(await status(server, files[0]), 404);
  } finally {
    await server.close();
  }
});

Deno.test("at startup, slide images no kept recording names are deleted", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chalkcast-slides-" });
  const named = `${"a".repeat(40)}.webp`;
  const stray = `${"b".repeat(40)}.jpg`;
  await Deno.mkdir(`${dataDir}/slides`);
  for (const file of [named, stray, `${stray}.x1.part`]) {
    await Deno.writeFile(`${dataDir}/slides/${file}`, new Uint8Array(16));
  }
  const deck = {
    t: 0,
    type: "deck",
    deck: "d",
    pages: [[{ w: 800, h: 450, url: `/slides/${named}` }]],
  };
  await storedRecording(dataDir, "c".repeat(22), {
    startedAt: Date.now() - 60_000,
    bytes: 100,
    events: [deck],
  });
  const server = await startTestServer({ dataDir });
  try {
    assert.deepEqual(slideFiles(server), [named]);
  } finally {
    await server.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

/**
 * The slide API and ink over real sockets (docs/api.md "Slides",
 * docs/protocol.md "Slides and ink"): deck upload with the key and its
 * limits, immutable images, next/previous/goto, `slide` and `ink` messages to
 * every viewer at once, late joiners, and the room detail. Images are real
 * WebP/JPEG files made by ffmpeg.
 */
import assert from "node:assert/strict";
import { startTestServer } from "./server.ts";
import { createRoom, publish, type Recorder, watch } from "./ws_clients.ts";
import { slideImage } from "./slide_images.ts";
import { call, DECK_SIZES, uploadDeck } from "./slide_decks.ts";
import { imageInfo } from "../lib/slides/image_size.ts";
import { encodeClient, type ServerMessage } from "../lib/protocol.ts";
import { encodePoints } from "../lib/ink/ink_codec.ts";
import { typicalStroke } from "../lib/ink/_testing.ts";

const slides = (r: Recorder) =>
  r.messages.filter((m): m is Extract<ServerMessage, { type: "slide" }> => m.type === "slide");
const inks = (r: Recorder) => r.messages.filter((m) => m.type === "ink");

Deno.test("slides over HTTP and WebSocket", async (t) => {
  const server = await startTestServer();
  const room = await createRoom(server.origin);
  const viewer = await watch(server.origin, room.id);
  try {
    await t.step("a viewer gets the (empty) slide state right after welcome", async () => {
      await viewer.until(() => slides(viewer).length === 1, 5_000, "the first slide message");
      assert.deepEqual(slides(viewer)[0], {
        type: "slide",
        deck: null,
        index: 0,
        count: 0,
        renditions: [],
      });
    });

    await t.step("creating a deck needs the key and a page count within the limit", async () => {
      const path = `/api/rooms/${room.id}/slides`;
      assert.equal((await call(server, "POST", path, { body: '{"pages":2}' })).status, 401);
      assert.equal(
        (await call(server, "POST", path, { key: "wrong", body: '{"pages":2}' })).status,
        401,
      );
      const tooMany = await call(server, "POST", path, { key: room.key, body: '{"pages":201}' });
      assert.equal(tooMany.status, 400);
      assert.match(String(tooMany.body.error), /at most 200 pages/);
      const none = await call(server, "POST", path, { key: room.key, body: "{}" });
      assert.equal(none.status, 400);
      assert.match(String(none.body.error), /how many pages/);
    });

    await t.step("an image upload is checked: key, size, type and box", async () => {
      const created = await call(server, "POST", `/api/rooms/${room.id}/slides`, {
        key: room.key,
        body: '{"pages":1}',
      });
      const base = `/api/rooms/${room.id}/slides/${created.body.deck}/0`;
      const webp = await slideImage(800, 450);
      assert.equal((await call(server, "PUT", `${base}/800x600`, { body: webp })).status, 401);
      const big = new Uint8Array(2 * 1024 * 1024 + 1);
      const tooBig = await call(server, "PUT", `${base}/800x600`, { key: room.key, body: big });
      assert.equal(tooBig.status, 413);
      assert.match(String(tooBig.body.error), /at most 2 MiB/);
      const png = await call(server, "PUT", `${base}/800x600`, {
        key: room.key,
        type: "image/png",
        body: await slideImage(800, 450, "png"),
      });
      assert.equal(png.status, 415);
      const wrongBox = await call(server, "PUT", `${base}/1920x1080`, {
        key: room.key,
        body: webp,
      });
      assert.equal(wrongBox.status, 400);
      assert.match(String(wrongBox.body.error), /fit inside 1920x1080/);
      const page = await call(
        server,
        "PUT",
        `/api/rooms/${room.id}/slides/${created.body.deck}/1/800x600`,
        {
          key: room.key,
          body: webp,
        },
      );
      assert.equal(page.status, 400);
      const ok = await call(server, "PUT", `${base}/800x600`, { key: room.key, body: webp });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.complete, false);
    });

    let deck = "";
    await t.step("a complete deck shows at once on every viewer, images immutable", async () => {
      deck = await uploadDeck(server, room, 3);
      await viewer.until(() => slides(viewer).some((s) => s.deck === deck), 5_000, "the deck");
      const shown = slides(viewer).find((s) => s.deck === deck)!;
      assert.deepEqual([shown.index, shown.count], [0, 3]);
      assert.deepEqual(shown.renditions.map((r) => [r.w, r.h]), DECK_SIZES.map(([w, h]) => [w, h]));
      const image = await fetch(`${server.origin}${shown.renditions[0].url}`);
      assert.equal(image.status, 200);
      assert.equal(image.headers.get("content-type"), "image/webp");
      assert.equal(image.headers.get("cache-control"), "public, max-age=31536000, immutable");
      // The URL names the content: the first 40 hex digits of its SHA-256.
      const got = new Uint8Array(await image.arrayBuffer());
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", got));
      const hex = [...digest.subarray(0, 20)].map((b) => b.toString(16).padStart(2, "0")).join("");
      assert.equal(shown.renditions[0].url, `/slides/${hex}.webp`);
      assert.deepEqual(imageInfo(got), { type: "image/webp", w: 800, h: 450 });
      const again = await fetch(`${server.origin}${shown.renditions[0].url}`, {
        headers: { "if-none-match": image.headers.get("etag")! },
      });
      assert.equal(again.status, 304);
      await again.body?.cancel();
      assert.equal((await fetch(`${server.origin}/slides/${"0".repeat(40)}.webp`)).status, 404);
      const detail = await call(server, "GET", `/api/rooms/${room.id}`);
      assert.deepEqual(detail.body.slides, { deck, count: 3, index: 0 });
    });

    await t.step("next / previous / goto with the key; viewers follow at once", async () => {
      const path = `/api/rooms/${room.id}/slides/current`;
      const post = (body: unknown, key = room.key) =>
        call(server, "POST", path, { key, body: JSON.stringify(body) });
      assert.equal((await post({ action: "next" }, "nope")).status, 401);
      const bad = await post({ action: "sideways" });
      assert.equal(bad.status, 400);
      assert.match(String(bad.body.error), /"action": "next"/);
      assert.equal((await post({ action: "goto", index: 3 })).status, 400);
      assert.equal((await post({ action: "goto" })).status, 400);
      const next = await post({ action: "next" });
      assert.equal(next.status, 200);
      assert.deepEqual([next.body.deck, next.body.index, next.body.count], [deck, 1, 3]);
      assert.equal((next.body.renditions as unknown[]).length, 4);
      await viewer.until(() => slides(viewer).at(-1)?.index === 1, 2_000, "slide 2 on the viewer");
      assert.equal((await post({ action: "goto", index: 2 })).body.index, 2);
      assert.equal((await post({ action: "next" })).body.index, 2, "next on the last stays");
      assert.equal((await post({ action: "previous" })).body.index, 1);
      await viewer.until(() => slides(viewer).at(-1)?.index === 1, 2_000, "back on slide 2");
      const current = await call(server, "GET", path);
      assert.equal(current.body.index, 1);
    });

    await t.step(
      "ink from the presenter reaches viewers; a late joiner gets the slide's ink",
      async () => {
        const presenter = await publish(server.origin, room.id, room.key);
        try {
          await presenter.until(() => slides(presenter).length > 0, 5_000, "the presenter's slide");
          const pts = encodePoints(typicalStroke(0.5));
          const sent = [
            { type: "ink", slide: 1, op: "stroke", tool: "pen", color: "#c62828", width: 4, pts },
            { type: "ink", slide: 1, op: "more", pts, done: true },
            {
              type: "ink",
              slide: 1,
              op: "stroke",
              tool: "pen",
              color: "#1565c0",
              width: 8,
              pts,
              done: true,
            },
            { type: "ink", slide: 1, op: "undo" },
          ] as const;
          for (const m of sent) presenter.ws.send(encodeClient(m));
          await viewer.until(() => inks(viewer).length === 4, 2_000, "4 ink messages");
          assert.deepEqual(inks(viewer), sent);
          presenter.ws.send(encodeClient({ type: "ink", slide: 7, op: "clear" }));
          await presenter.until(
            () => presenter.messages.some((m) => m.type === "error" && /slide 7/.test(m.message)),
            2_000,
            "an error for a slide outside the deck",
          );
          const late = await watch(server.origin, room.id);
          const replays = () => late.messages.filter((m) => m.type === "ink-replay");
          await late.until(() => replays().length === 1, 2_000, "the late joiner's ink");
          assert.deepEqual(slides(late).map((s) => s.index), [1]);
          assert.equal(inks(late).length, 0);
          // One frame; the first stroke merged into one step; the undone one waits for redo.
          const replay = replays()[0] as Extract<ServerMessage, { type: "ink-replay" }>;
          assert.equal(replay.slide, 1);
          assert.deepEqual(replay.ops.map((op) => op.op), ["stroke", "stroke", "undo"]);
          await late.close();
          // A viewer may not ink.
          viewer.ws.send(encodeClient({ type: "ink", slide: 1, op: "clear" }));
          await viewer.until(
            () => viewer.messages.some((m) => m.type === "error" && /viewer/.test(m.message)),
            2_000,
            "an error for a viewer's ink",
          );
        } finally {
          await presenter.close();
        }
      },
    );

    await t.step(
      "board snapshots of a screen share: key to upload, ETag to poll, gone on DELETE",
      async () => {
        const path = `/api/rooms/${room.id}/board-snapshot`;
        const jpeg = await slideImage(1024, 576, "jpg");
        assert.equal((await call(server, "GET", `${path}.jpg`)).status, 404);
        assert.equal(
          (await call(server, "PUT", path, { body: jpeg, type: "image/jpeg" })).status,
          401,
        );
        const put = await call(server, "PUT", path, {
          key: room.key,
          body: jpeg,
          type: "image/jpeg",
        });
        assert.equal(put.status, 204);
        const snapshots = () => viewer.messages.filter((m) => m.type === "screen");
        await viewer.until(
          () => snapshots().length === 1,
          2_000,
          "the viewer hears of the snapshot",
        );
        const detail = await call(server, "GET", `/api/rooms/${room.id}`);
        const url = String(detail.body.boardSnapshotUrl);
        assert.match(url, /\/board-snapshot\.jpg\?v=[0-9a-f]{8}$/);
        const image = await fetch(url);
        assert.equal(image.headers.get("content-type"), "image/jpeg");
        assert.deepEqual(new Uint8Array(await image.arrayBuffer()), jpeg);
        const again = await fetch(url, {
          headers: { "if-none-match": image.headers.get("etag")! },
        });
        assert.equal(again.status, 304);
        await again.body?.cancel();
        assert.equal(url.endsWith((snapshots()[0] as { snapshot: string }).snapshot), true);
        assert.equal((await call(server, "DELETE", path, { key: room.key })).status, 204);
        await viewer.until(
          () => snapshots().length === 2,
          2_000,
          "the viewer hears the share ended",
        );
        assert.deepEqual(snapshots()[1], { type: "screen", snapshot: null });
        assert.equal((await call(server, "GET", `${path}.jpg`)).status, 404);
      },
    );
  } finally {
    await viewer.close();
    await server.close();
  }
});

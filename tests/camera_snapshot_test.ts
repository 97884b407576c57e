/**
 * Camera snapshots over real HTTP and sockets (docs/api.md "Camera
 * snapshots"): the key to upload, JPEG checks, a versioned URL announced to
 * every main connection as `camera` (a late joiner gets the latest after its
 * `slide`; a media lane never), the image with ETag and 304, the room's event
 * stream, and `DELETE` when the camera stops.
 */
import assert from "node:assert/strict";
import type { RoomEvent } from "../lib/hub/events.ts";
import type { ServerMessage } from "../lib/protocol.ts";
import { startTestServer } from "./server.ts";
import { slideImage } from "./slide_images.ts";
import { createRoom, lane, type Recorder, watch } from "./ws_clients.ts";

const cameras = (r: Recorder) =>
  r.messages.filter((m): m is Extract<ServerMessage, { type: "camera" }> => m.type === "camera");

Deno.test("camera snapshots: key to upload, announced as camera messages and events, ETag, gone on DELETE", async () => {
  const server = await startTestServer({ record: false });
  try {
    const room = await createRoom(server.origin);
    const path = `${server.origin}/api/rooms/${room.id}/camera-snapshot`;
    const put = (body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(path, {
        method: "PUT",
        headers: { authorization: `Bearer ${room.key}`, "content-type": "image/jpeg", ...headers },
        body,
      });
    const events: RoomEvent[] = [];
    server.state.hub.get(room.id).events.subscribe((e) => e.type === "camera" && events.push(e));
    const viewer = await watch(server.origin, room.id, undefined, ["audio"]);
    await viewer.until(() => viewer.messages.some((m) => m.type === "welcome"));
    const welcome = viewer.messages.find((m) => m.type === "welcome");
    const media = await lane(server.origin, room.id, (welcome as { lane: string }).lane);
    await media.until(() => media.messages.some((m) => m.type === "welcome"));

    const before = await fetch(`${path}.jpg`);
    assert.equal(before.status, 404);
    assert.match((await before.json()).error, /camera is off/);
    const jpeg = await slideImage(320, 240, "jpg");
    const noKey = await fetch(path, { method: "PUT", body: jpeg });
    assert.equal(noKey.status, 401);
    await noKey.body?.cancel();
    const png = await put(await slideImage(32, 24, "png"), { "content-type": "" });
    assert.equal(png.status, 415);
    assert.match((await png.json()).error, /not a JPEG/);
    const big = await put(new Uint8Array(256 * 1024 + 1));
    assert.equal(big.status, 413);
    await big.body?.cancel();

    const ok = await put(jpeg);
    assert.equal(ok.status, 204);
    await viewer.until(() => cameras(viewer).length === 1, 5_000, "the camera message");
    const url = cameras(viewer)[0].snapshot!;
    assert.match(url, new RegExp(`^/api/rooms/${room.id}/camera-snapshot\\.jpg\\?v=[0-9a-f]{8}$`));
    const detail = await (await fetch(`${server.origin}/api/rooms/${room.id}`)).json();
    assert.equal(detail.cameraSnapshotUrl, server.origin + url);
    const image = await fetch(server.origin + url);
    assert.equal(image.headers.get("content-type"), "image/jpeg");
    assert.equal(image.headers.get("cache-control"), "no-cache");
    assert.deepEqual(new Uint8Array(await image.arrayBuffer()), jpeg);
    const again = await fetch(server.origin + url, {
      headers: { "if-none-match": image.headers.get("etag")! },
    });
    assert.equal(again.status, 304);
    await again.body?.cancel();

    // A late joiner gets the latest right after its slide.
    const late = await watch(server.origin, room.id);
    await late.until(() => cameras(late).length === 1, 5_000, "the late joiner's camera");
    const types = late.messages.map((m) => m.type);
    assert.ok(types.indexOf("slide") < types.indexOf("camera"), types.join());
    assert.equal(cameras(late)[0].snapshot, url);

    // A new picture, a new URL; then the camera stops.
    assert.equal((await put(await slideImage(320, 180, "jpg"))).status, 204);
    await viewer.until(() => cameras(viewer).length === 2, 5_000, "the second camera message");
    assert.notEqual(cameras(viewer)[1].snapshot, url);
    const gone = await fetch(path, {
      method: "DELETE",
      headers: { authorization: `Bearer ${room.key}` },
    });
    assert.equal(gone.status, 204);
    await viewer.until(() => cameras(viewer).length === 3, 5_000, "the camera stopping");
    assert.deepEqual(cameras(viewer)[2], { type: "camera", snapshot: null });
    const after = await fetch(`${path}.jpg`);
    assert.equal(after.status, 404);
    await after.body?.cancel();
    assert.deepEqual(events.map((e) => e.snapshot), [url, cameras(viewer)[1].snapshot, null]);

    // The lane carries media only: no camera messages.
    assert.equal(cameras(media).length, 0);
    await Promise.all([viewer.close(), late.close()]);
  } finally {
    await server.close();
  }
});

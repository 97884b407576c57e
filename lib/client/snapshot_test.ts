import { deepEqual, equal } from "node:assert/strict";
import { snapshotLayout, SnapshotUploader, startSnapshotFeed } from "./snapshot.ts";

Deno.test("snapshotLayout() puts the camera bottom right over the board", () => {
  const layout = snapshotLayout(480, 270, { w: 1280, h: 720 }, { w: 640, h: 480 });
  deepEqual(layout.board, { x: 0, y: 0, w: 480, h: 270 });
  deepEqual(layout.camera, { x: 480 - 160 - 12, y: 270 - 120 - 12, w: 160, h: 120 });
});

Deno.test("snapshotLayout() letterboxes a lone source and skips absent ones", () => {
  deepEqual(snapshotLayout(480, 270, null, { w: 640, h: 480 }), {
    board: null,
    camera: { x: 60, y: 0, w: 360, h: 270 },
  });
  deepEqual(snapshotLayout(480, 270, { w: 0, h: 0 }, null), { board: null, camera: null });
});

function setup(status = 204, blob: Blob | null = new Blob([new Uint8Array([0xff, 0xd8, 0xff])])) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const timers: Array<() => void> = [];
  let cleared = 0;
  const uploader = new SnapshotUploader({
    roomId: "room1",
    key: "secret",
    capture: () => Promise.resolve(blob),
    fetch: (url, init) => {
      calls.push({ url, init });
      return Promise.resolve(new Response(null, { status }));
    },
    setInterval: (fn) => timers.push(fn),
    clearInterval: () => void cleared++,
  });
  return { uploader, calls, timers, cleared: () => cleared };
}

Deno.test("SnapshotUploader PUTs a JPEG with the key at once and on every tick", async () => {
  const { uploader, calls, timers } = setup();
  const results: number[] = [];
  uploader.onResult = (s) => results.push(s);
  uploader.start();
  await new Promise((r) => setTimeout(r, 0));
  timers[0]();
  await new Promise((r) => setTimeout(r, 0));
  equal(calls.length, 2);
  equal(calls[0].url, "/api/rooms/room1/snapshot");
  equal(calls[0].init?.method, "PUT");
  deepEqual(calls[0].init?.headers, {
    "content-type": "image/jpeg",
    authorization: "Bearer secret",
  });
  deepEqual(results, [204, 204]);
  uploader.stop();
  equal(uploader.running, false);
});

Deno.test("SnapshotUploader skips rounds without an image and stops on 401/404", async () => {
  const none = setup(204, null);
  await none.uploader.uploadOnce();
  equal(none.calls.length, 0);
  const gone = setup(404);
  gone.uploader.start();
  await new Promise((r) => setTimeout(r, 0));
  equal(gone.uploader.running, false);
  equal(gone.cleared(), 1);
});

Deno.test("SnapshotUploader sends to another path under the room when told", async () => {
  const urls: string[] = [];
  const uploader = new SnapshotUploader({
    roomId: "r1",
    key: "k",
    path: "board-snapshot",
    capture: () => Promise.resolve(new Blob([new Uint8Array([0xff, 0xd8, 0xff])])),
    fetch: (url) => {
      urls.push(url);
      return Promise.resolve(new Response(null, { status: 204 }));
    },
  });
  await uploader.uploadOnce();
  deepEqual(urls, ["/api/rooms/r1/board-snapshot"]);
});

Deno.test("startSnapshotFeed() uploads until stopped, then DELETEs so viewers hear it ended", async () => {
  const calls: Array<[string, string | undefined]> = [];
  const timers: Array<() => void> = [];
  const stop = startSnapshotFeed({
    roomId: "r1",
    key: "k",
    path: "camera-snapshot",
    capture: () => Promise.resolve(new Blob([new Uint8Array([0xff, 0xd8, 0xff])])),
    fetch: (url, init) => {
      calls.push([url, init?.method]);
      return Promise.resolve(new Response(null, { status: 204 }));
    },
    setInterval: (fn) => timers.push(fn),
    clearInterval: () => void timers.splice(0),
  });
  await new Promise((r) => setTimeout(r, 0));
  stop();
  await new Promise((r) => setTimeout(r, 0));
  equal(timers.length, 0);
  deepEqual(calls, [
    ["/api/rooms/r1/camera-snapshot", "PUT"],
    ["/api/rooms/r1/camera-snapshot", "DELETE"],
  ]);
});

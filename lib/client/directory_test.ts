import { deepEqual, equal } from "node:assert/strict";
import { formatLiveFor, parseRoomList } from "./directory.ts";

const room = {
  id: "abc",
  title: "Algebra",
  live: true,
  createdAt: 1,
  liveSince: 2,
  liveForSeconds: 75,
  viewers: 3,
  viewerUrl: "http://x/s/abc",
  thumbnailUrl: null,
};

Deno.test("parseRoomList() keeps well-formed rooms and skips the rest", () => {
  deepEqual(parseRoomList({ rooms: [room, { id: 1 }, null, { ...room, id: "def" }] }), [
    room,
    { ...room, id: "def" },
  ]);
  deepEqual(parseRoomList({}), []);
  deepEqual(parseRoomList(null), []);
});

Deno.test("formatLiveFor() says how long in words", () => {
  equal(formatLiveFor(5), "under a minute");
  equal(formatLiveFor(60), "1 min");
  equal(formatLiveFor(59 * 60 + 59), "59 min");
  equal(formatLiveFor(3600 + 5 * 60), "1 h 05 min");
});

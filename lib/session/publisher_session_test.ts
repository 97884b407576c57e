/**
 * A presenter's session: the key at hello, track-start and media in order,
 * a taken track refused without closing, bad media ending only its track,
 * and the presenter's chat powers.
 */
import assert from "node:assert/strict";
import { initSegment } from "../hub/_testing.ts";
import { CLOSE } from "../errors.ts";
import { encodeMedia } from "../protocol.ts";
import { say, sessionWorld } from "./_testing.ts";
import { cluster, simple, streamHead } from "../media/_ebml_builder.ts";

function setup() {
  const world = sessionWorld();
  const { room, key } = world.hub.create({ title: "Algebra" });
  const publisher = (withKey = key) => world.publisher(room.id, withKey);
  const viewer = () => world.viewer(room.id);
  return { ...world, room, key, publisher, viewer };
}

const chunk = (track: string, payload: Uint8Array) =>
  encodeMedia({ kind: "chunk", track, timestampMs: 0, payload });

Deno.test("the key at hello makes the presenter; a wrong key closes 4401", () => {
  const { publisher } = setup();
  const good = publisher();
  assert.deepEqual(good.peer.types, ["welcome", "state", "chat-history"]);
  const welcome = good.peer.messages[0];
  assert.ok(welcome.type === "welcome");
  assert.equal(welcome.name, "Presenter");
  const bad = publisher("wrong-key");
  assert.equal(bad.peer.errors[0]?.code, "auth");
  assert.equal(bad.peer.closed?.code, 4401);
});

Deno.test("media before track-start closes 1008; non-chunk frames too", () => {
  const { publisher } = setup();
  const a = publisher();
  a.session.onBinary(chunk("camera", new Uint8Array([1, 2, 3])));
  assert.deepEqual(a.peer.closed, {
    code: CLOSE.policy,
    reason: 'send track-start for "camera" before its media',
  });
  const b = publisher();
  b.session.onBinary(
    encodeMedia({
      kind: "init",
      track: "camera",
      mime: "video/webm",
      payload: new Uint8Array(1),
    }),
  );
  assert.deepEqual(b.peer.closed, {
    code: CLOSE.policy,
    reason: "publishers send raw chunks (kind 3) only",
  });
});

Deno.test("track-start on a track another live publisher holds gets error conflict; the connection and its other tracks go on", () => {
  const { room, key, publisher } = setup();
  const first = room.publish(key, () => {});
  first.start("camera", "video/webm");
  first.push("camera", initSegment());
  const second = publisher();
  say(second.session, { type: "track-start", track: "camera", mime: "video/webm" });
  assert.deepEqual(second.peer.errors, [{
    type: "error",
    code: "conflict",
    message:
      'track "camera" already has a publisher; stop the other tab or device, or retry in a few seconds',
  }]);
  // Its chunks for the refused track are dropped, not a protocol violation.
  second.session.onBinary(chunk("camera", new Uint8Array([0x1a, 0x45, 0xdf, 0xa3])));
  say(second.session, { type: "track-start", track: "whiteboard", mime: "video/webm" });
  assert.equal(second.peer.closed, null);
  assert.equal(room.track("whiteboard") !== undefined, true);
});

Deno.test("bad media ends only that track's stream with error unsupported-media", () => {
  const { publisher } = setup();
  const { peer, session } = publisher();
  say(session, { type: "track-start", track: "camera", mime: "video/webm" });
  session.onBinary(chunk("camera", new TextEncoder().encode("this is not a container at all")));
  assert.equal(peer.errors.at(-1)?.code, "unsupported-media");
  assert.match(
    peer.errors.at(-1)!.message,
    /^track "camera": .*; restart the recorder to send a new stream$/,
  );
  assert.equal(peer.closed, null);
  // Later chunks of the broken stream are dropped until the next track-start.
  session.onBinary(chunk("camera", new Uint8Array([1, 2, 3])));
  assert.equal(peer.closed, null);
});

Deno.test("the presenter chats as Presenter, deletes lines and mutes viewers", () => {
  const { publisher, viewer } = setup();
  const presenter = publisher();
  const guest = viewer();
  say(guest.session, { type: "chat", text: "spam" });
  const line = guest.peer.messages.find((m) => m.type === "chat");
  assert.ok(line?.type === "chat");
  say(presenter.session, { type: "chat-delete", id: line.id });
  assert.deepEqual(guest.peer.messages.at(-1), { type: "chat-deleted", id: line.id });
  say(presenter.session, { type: "chat-mute", participant: line.from });
  assert.equal(guest.peer.messages.at(-1)?.type, "muted");
  say(guest.session, { type: "chat", text: "more" });
  assert.equal(guest.peer.errors.at(-1)?.code, "forbidden");
  say(presenter.session, { type: "chat", text: "Welcome" });
  const said = guest.peer.messages.findLast((m) => m.type === "chat");
  assert.ok(said?.type === "chat");
  assert.equal(said.name, "Presenter");
  assert.equal(presenter.peer.closed, null);
});

Deno.test("the presenter's release stops its tracks: viewers see them not live", () => {
  const { room, publisher } = setup();
  const { session } = publisher();
  say(session, { type: "track-start", track: "camera", mime: "video/webm" });
  assert.equal(room.state().tracks.length, 1);
  session.closed();
  assert.equal(room.state().live, false);
});

Deno.test("a sound track whose media time runs slow against the clock gets a clock shift in stats", () => {
  const { now, publisher, viewer } = setup();
  const { session } = publisher();
  const watcher = viewer();
  const start = 1_700_000_000_000;
  say(session, { type: "track-start", track: "audio", mime: "audio/webm", clockMs: start });
  const sent = (handedAt: number, payload: Uint8Array) =>
    session.onBinary(
      encodeMedia({ kind: "chunk", track: "audio", timestampMs: handedAt, payload }),
    );
  sent(start + 10, streamHead({ video: false }));
  // 100 ms chunks for 60 s that carry only 90 ms of sound each: 10 % of the samples never came.
  for (let i = 1; i <= 600; i++) {
    sent(start + i * 100 + 60, cluster(i * 90, simple(2, 0, true)));
  }
  watcher.session.sendStatsIfDue(now() + 60_000);
  const stats = watcher.peer.messages.findLast((m) => m.type === "stats");
  assert.ok(stats?.type === "stats");
  // By the 30 s window's start (30 s in), 3 s of sound were missing.
  const shift = stats.tracks.find((t) => t.name === "audio")?.clockShiftMs ?? 0;
  assert.ok(Math.abs(shift - 3000) <= 20, `shift ${shift}`);
  // A new stream starts afresh.
  say(session, {
    type: "track-start",
    track: "audio",
    mime: "audio/webm",
    clockMs: start + 40_000,
  });
  sent(start + 40_010, streamHead({ video: false }));
  sent(start + 40_110, cluster(0, simple(2, 0, true)));
  watcher.session.sendStatsIfDue(now() + 120_000);
  const after = watcher.peer.messages.findLast((m) => m.type === "stats");
  assert.ok(after?.type === "stats");
  assert.equal(after.tracks.find((t) => t.name === "audio")?.clockShiftMs, undefined);
});

Deno.test("a track whose publisher sends nothing for 500 ms or more says how long in stats (idleMs)", () => {
  const { now, advance, publisher, viewer } = setup();
  const { session } = publisher();
  const watcher = viewer();
  say(session, { type: "track-start", track: "audio", mime: "audio/webm", clockMs: 0 });
  session.onBinary(chunk("audio", streamHead({ video: false })));
  let media = 0;
  const send = () => session.onBinary(chunk("audio", cluster(media++ * 100, simple(2, 0, true))));
  /** The viewer's next stats (one every 2 s), taken `ms` from now. */
  const idleIn = (ms: number) => {
    advance(ms);
    const before = watcher.peer.messages.length;
    watcher.session.sendStatsIfDue(now());
    const stats = watcher.peer.messages.slice(before).find((m) => m.type === "stats");
    assert.ok(stats?.type === "stats", "stats due");
    return stats.tracks.find((t) => t.name === "audio")?.idleMs;
  };
  advance(1600);
  send();
  assert.equal(idleIn(400), undefined, "400 ms since the last chunk: media flows");
  assert.equal(idleIn(2000), 2400, "a stall");
  advance(1500);
  send();
  assert.equal(idleIn(500), 500, "500 ms: said");
  advance(1550);
  send();
  assert.equal(idleIn(450), undefined, "it flows again");
});

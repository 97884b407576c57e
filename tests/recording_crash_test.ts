/**
 * Crash safety with a real server process: a lesson is recorded by a child
 * process that is killed with SIGKILL mid-lesson; a server started on the
 * same data directory repairs the recording before serving it, and it keeps
 * all but at most the last 2 s.
 */
import assert from "node:assert/strict";
import { decodeErrors, fixtureSegments, probe } from "../lib/record/_testing.ts";
import type { InitSegment, MediaSegment } from "../lib/media/segment.ts";
import { PartFile } from "../lib/record/part_file.ts";
import { repairWebm } from "../lib/record/repair.ts";
import type { RecordingView } from "../lib/record/recording_view.ts";
import { startTestServer } from "./server.ts";
import { createRoom, loadFixture, publish, replay } from "./ws_clients.ts";
import { getJson, until } from "./recording_helpers.ts";

const main = new URL("../main.ts", import.meta.url).pathname;

/** Starts main.ts as a child process; resolves with it and its origin once it listens. */
async function spawnServer(dataDir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!/listening: studio (http:\/\/\S+)\/studio/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the server exited: ${text}`);
    text += decoder.decode(value);
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  const origin = text.match(/listening: studio (http:\/\/\S+)\/studio/)![1];
  return { child, origin };
}

Deno.test("after kill -9 mid-lesson, a restart repairs the recording and loses at most 2 s", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "chalkcast-crash-" });
  const { child, origin } = await spawnServer(dataDir);
  let killed = false;
  try {
    const fixture = await loadFixture("vp8-opus.webm");
    const { id: roomId, key } = await createRoom(origin, "Crash course");
    const presenter = await publish(origin, roomId, key);
    await presenter.until(() => presenter.messages.some((m) => m.type === "welcome"));
    await replay(presenter, "camera", fixture);
    // Everything sent has reached the server; the presenter is still live.
    const room = await until(async () => {
      const r = await getJson<{ recordingId: string; tracks: Array<{ bytesIn: number }> }>(
        `${origin}/api/rooms/${roomId}`,
      );
      return r.tracks[0]?.bytesIn === fixture.bytes.length ? r : null;
    }, "the server to receive the whole stream");
    child.kill("SIGKILL");
    killed = true;
    await child.status;
    await child.stderr.cancel().catch(() => {});
    presenter.ws.close();

    const meta = JSON.parse(
      await Deno.readTextFile(`${dataDir}/recordings/${room.recordingId}/meta.json`),
    );
    assert.equal(meta.live, true, "the killed server never finished it");

    const server = await startTestServer({ dataDir });
    try {
      assert.ok(
        server.logs.some((l) => l.includes(`recording ${room.recordingId} repaired`)),
        server.logs.join("\n"),
      );
      const view = await getJson<RecordingView>(
        `${server.origin}/api/recordings/${room.recordingId}`,
      );
      assert.equal(view.live, false);
      assert.equal(view.title, "Crash course");
      const part = view.tracks[0].parts[0];
      // The stream's last frame is at 3.958 s: at most 2 s may be lost.
      assert.ok(part.durationMs >= 3958 - 2000, `kept ${part.durationMs} ms`);
      const path = `${dataDir}${part.url}`;
      assert.equal(part.bytes, (await Deno.stat(path)).size);
      const probed = await probe(path);
      assert.ok(Math.abs(probed.duration! * 1000 - part.durationMs) < 50, `${probed.duration}`);
      assert.equal(await decodeErrors(path), "");
      assert.equal(await decodeErrors(path, ["-ss", "1.5"]), "");
      const events = await getJson<{ events: Array<{ type: string }> }>(
        `${server.origin}${view.eventsUrl}`,
      );
      assert.ok(events.events.some((e) => e.type === "track-start"));
    } finally {
      await server.close();
    }
  } finally {
    if (!killed) {
      child.kill("SIGKILL");
      await child.status;
    }
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

Deno.test("repair cuts a partial trailing cluster off a WebM part", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const segments = fixtureSegments("chromium/vp8-opus.webm");
    const path = `${dir}/camera.webm`;
    const part = new PartFile(path, segments[0] as InitSegment, (e) => {
      throw e;
    });
    for (const s of segments.slice(1)) part.append(s as MediaSegment);
    await part.sync();
    // What a crash leaves: the unfinished file, cut mid-block.
    const crashed = `${dir}/crashed.webm`;
    await Deno.copyFile(path, crashed);
    await Deno.truncate(crashed, (await Deno.stat(crashed)).size - 777);
    await part.finish();
    const fixed = await repairWebm(crashed);
    assert.ok(fixed && fixed.durationMs > 3000 && fixed.durationMs < 3958, `${fixed?.durationMs}`);
    assert.equal(await decodeErrors(crashed), "");
    const probed = await probe(crashed);
    assert.ok(Math.abs(probed.duration! * 1000 - fixed!.durationMs) < 50);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { openDevices } from "./devices.ts";

const fakeStream = (video: boolean, audio: boolean) =>
  ({
    getVideoTracks: () => (video ? [1] : []),
    getAudioTracks: () => (audio ? [1] : []),
  }) as unknown as MediaStream;

/** A getUserMedia that has only the listed kinds. */
function gum(has: { video: boolean; audio: boolean }, calls: string[] = []) {
  return (c: MediaStreamConstraints) => {
    calls.push(`${!!c.video}/${!!c.audio}`);
    if ((c.video && !has.video) || (c.audio && !has.audio)) {
      return Promise.reject(Object.assign(new Error("x"), { name: "NotFoundError" }));
    }
    return Promise.resolve(fakeStream(!!c.video, !!c.audio));
  };
}

Deno.test("openDevices() opens camera and microphone together", async () => {
  const r = await openDevices(gum({ video: true, audio: true }), { camera: "", mic: "" });
  assert.equal(r.camera, true);
  assert.equal(r.mic, true);
  assert.equal(r.error, undefined);
});

Deno.test("openDevices() falls back to the microphone alone", async () => {
  const calls: string[] = [];
  const r = await openDevices(gum({ video: false, audio: true }, calls), { camera: "", mic: "" });
  assert.deepEqual([r.camera, r.mic], [false, true]);
  assert.deepEqual(calls, ["true/true", "true/false", "false/true"]);
  assert.match(r.error!, /No camera/);
});

Deno.test("openDevices() with both off or none available gives no stream", async () => {
  const calls: string[] = [];
  const off = await openDevices(gum({ video: true, audio: true }, calls), {
    camera: "off",
    mic: "off",
  });
  assert.equal(off.stream, null);
  assert.deepEqual(calls, []);
  const none = await openDevices(gum({ video: false, audio: false }), { camera: "", mic: "" });
  assert.equal(none.stream, null);
  assert.ok(none.error);
});

import assert from "node:assert/strict";
import { deviceTracks, publishDevices } from "./device_tracks.ts";

const track = (kind: string) => ({ kind, id: kind }) as unknown as MediaStreamTrack;
const device = (video: boolean, audio: boolean) => ({
  getVideoTracks: () => (video ? [track("video")] : []),
  getAudioTracks: () => (audio ? [track("audio")] : []),
});
const make = (tracks: MediaStreamTrack[]) =>
  ({ kinds: tracks.map((t) => t.kind) }) as unknown as MediaStream;
const kinds = (s: MediaStream | null) => (s as unknown as { kinds: string[] } | null)?.kinds;

Deno.test("deviceTracks() puts voice and picture on separate streams", () => {
  const t = deviceTracks(device(true, true), make);
  assert.deepEqual(kinds(t.audio), ["audio"]);
  assert.deepEqual(kinds(t.camera), ["video"]);
});

Deno.test("deviceTracks() serves a mic-only and a camera-only presenter", () => {
  assert.deepEqual(kinds(deviceTracks(device(false, true), make).audio), ["audio"]);
  assert.equal(deviceTracks(device(false, true), make).camera, null);
  assert.equal(deviceTracks(device(true, false), make).audio, null);
  assert.deepEqual(deviceTracks(null, make), { camera: null, audio: null, "audio-low": null });
});

Deno.test("publishDevices() sets every track, null for a device that is off", () => {
  const calls: [string, string[] | undefined][] = [];
  publishDevices({ setSource: (n, s) => calls.push([n, kinds(s)]) }, device(false, true), make);
  assert.deepEqual(calls, [["audio", ["audio"]], ["audio-low", ["audio"]], [
    "camera",
    undefined,
  ]]);
});

Deno.test("deviceTracks() gives the small voice encode its own stream of the same microphone", () => {
  const t = deviceTracks(device(true, true), make);
  assert.deepEqual(kinds(t["audio-low"]), ["audio"]);
  assert.notEqual(t["audio-low"], t.audio);
});

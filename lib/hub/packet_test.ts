import { deepEqual, equal } from "node:assert/strict";
import { decodeMedia } from "../protocol.ts";
import { Packet } from "./packet.ts";
import { initSegment, mediaSegment } from "./_testing.ts";

Deno.test("Packet.wire is encoded once and decodes to the segment", () => {
  const segment = mediaSegment(1234.5, { keyframe: true, size: 10 });
  const packet = new Packet("whiteboard", segment, 0);
  equal(packet.wire, packet.wire);
  deepEqual(decodeMedia(packet.wire), {
    kind: "media",
    track: "whiteboard",
    keyframe: true,
    start: true,
    timestampMs: 1234.5,
    payload: segment.bytes,
  });
});

Deno.test("Packet.wire of an init segment carries its MIME type", () => {
  const packet = new Packet("camera", initSegment('video/mp4; codecs="avc1.42E01E"'), 0);
  const frame = decodeMedia(packet.wire);
  equal(frame.kind, "init");
  equal(frame.kind === "init" && frame.mime, 'video/mp4; codecs="avc1.42E01E"');
  equal(packet.isInit, true);
  equal(packet.keyframe, false);
});

import { deepEqual, equal } from "node:assert/strict";
import { decodeMedia } from "../protocol.ts";
import { Packet } from "../hub/packet.ts";
import { initSegment, mediaSegment } from "../hub/_testing.ts";
import { wireFrame } from "./wire.ts";

Deno.test("wireFrame() is encoded once per packet and decodes to the segment", () => {
  const segment = mediaSegment(1234.5, { keyframe: true, size: 10 });
  const packet = new Packet("whiteboard", segment, 0);
  equal(wireFrame(packet), wireFrame(packet));
  deepEqual(decodeMedia(wireFrame(packet)), {
    kind: "media",
    track: "whiteboard",
    keyframe: true,
    start: true,
    timestampMs: 1234.5,
    payload: segment.bytes,
  });
});

Deno.test("wireFrame() of an init segment carries its MIME type", () => {
  const packet = new Packet("camera", initSegment('video/mp4; codecs="avc1.42E01E"'), 0);
  const frame = decodeMedia(wireFrame(packet));
  equal(frame.kind, "init");
  equal(frame.kind === "init" && frame.mime, 'video/mp4; codecs="avc1.42E01E"');
  equal(packet.isInit, true);
  equal(packet.keyframe, false);
});

Deno.test("the hub's Packet carries no wire encoding", async () => {
  // The hub must not know how viewers are framed (issue #11): no import of encodeMedia.
  const source = await Deno.readTextFile(new URL("../hub/packet.ts", import.meta.url));
  equal(/encodeMedia|protocol\.ts/.test(source), false);
});

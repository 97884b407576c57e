import { equal, ok } from "node:assert/strict";
import { ElementHeader, Id, readElementHeader, UNKNOWN_SIZE } from "../media/ebml.ts";
import { readUint } from "../media/bytes.ts";
import type { InitSegment, MediaSegment } from "../media/segment.ts";
import { PartFile } from "./part_file.ts";
import { fixtureSegments } from "./_testing.ts";

interface Top {
  id: number;
  at: number;
  headerLength: number;
  size: number;
}

/** The Segment's children as written: id, position, size (clusters with their own sizes). */
function segmentChildren(
  bytes: Uint8Array,
): { dataStart: number; segmentSize: number; children: Top[] } {
  const h = new ElementHeader();
  let pos = 0;
  pos += readElementHeader(bytes, pos, bytes.length, pos, h) + h.size; // EBML header
  const n = readElementHeader(bytes, pos, bytes.length, pos, h);
  equal(h.id, Id.Segment);
  const segmentSize = h.size;
  const dataStart = pos + n;
  const children: Top[] = [];
  for (pos = dataStart; pos < bytes.length;) {
    const headerLength = readElementHeader(bytes, pos, bytes.length, pos, h);
    children.push({ id: h.id, at: pos, headerLength, size: h.size });
    ok(h.size !== UNKNOWN_SIZE, `element ${h.id.toString(16)} at ${pos} has a known size`);
    pos += headerLength + h.size;
  }
  equal(pos, bytes.length, "the children fill the file exactly");
  return { dataStart, segmentSize, children };
}

Deno.test("a finished WebM has a sized Segment, sized clusters, and Cues the SeekHead points at", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const segments = fixtureSegments("chromium/vp8-opus.webm");
    const keyframeClusters = segments.filter((s) => s.type === "media" && s.start && s.keyframe);
    const part = new PartFile(`${dir}/camera.webm`, segments[0] as InitSegment, (e) => {
      throw e;
    });
    for (const s of segments.slice(1)) part.append(s as MediaSegment);
    await part.finish();
    const bytes = await Deno.readFile(part.path);
    const { dataStart, segmentSize, children } = segmentChildren(bytes);
    equal(segmentSize, bytes.length - dataStart);
    const ids = children.map((c) => c.id);
    equal(ids[0], Id.SeekHead);
    equal(ids[ids.length - 1], Id.Cues);
    const cues = children[children.length - 1];
    // SeekHead: three Seek entries; the last names Cues and its position.
    const seekHead = children[0];
    const h = new ElementHeader();
    let pos = seekHead.at + seekHead.headerLength;
    const seeks: Array<{ id: number; position: number }> = [];
    while (pos < seekHead.at + seekHead.headerLength + seekHead.size) {
      const n = readElementHeader(bytes, pos, bytes.length, pos, h);
      const end = pos + n + h.size;
      let id = 0, position = -1;
      for (let p = pos + n; p < end;) {
        const m = readElementHeader(bytes, p, end, p, h);
        if (h.id === 0x53ab) id = readUint(bytes, p + m, h.size);
        if (h.id === 0x53ac) position = readUint(bytes, p + m, h.size);
        p += m + h.size;
      }
      seeks.push({ id, position });
      pos = end;
    }
    const cuesSeek = seeks.find((s) => s.id === Id.Cues);
    equal(cuesSeek?.position, cues.at - dataStart);
    for (const s of seeks) {
      ok(children.some((c) => c.id === s.id && c.at - dataStart === s.position));
    }
    // One CuePoint per cluster that opens on a keyframe, each pointing at a Cluster.
    let points = 0;
    for (pos = cues.at + cues.headerLength; pos < bytes.length;) {
      const n = readElementHeader(bytes, pos, bytes.length, pos, h);
      equal(h.id, 0xbb);
      points++;
      pos += n + h.size;
    }
    equal(points, keyframeClusters.length);
    ok(points > 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

import { equal, ok } from "node:assert/strict";
import type { InitSegment, MediaSegment } from "../media/segment.ts";
import { PartFile } from "./part_file.ts";
import { decodeErrors, fixtureSegments, probe } from "./_testing.ts";

async function record(name: string, dir: string, file: string): Promise<PartFile> {
  const segments = fixtureSegments(name);
  const init = segments[0] as InitSegment;
  const errors: Error[] = [];
  const part = new PartFile(`${dir}/${file}`, init, (e) => errors.push(e));
  for (const s of segments.slice(1)) part.append(s as MediaSegment);
  await part.finish();
  equal(errors.length, 0, String(errors[0]));
  return part;
}

for (
  const name of [
    "chromium/vp8-opus.webm",
    "chromium/av1-opus.webm",
    "ffmpeg/vp8-opus-live.webm",
    "ffmpeg/opus-only.webm",
  ]
) {
  Deno.test(`a finished part of ${name} has Duration and Cues and decodes cleanly`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const part = await record(name, dir, "camera.webm");
      const p = await probe(part.path);
      ok(
        p.duration !== null && Math.abs(p.duration - part.durationMs / 1000) < 0.05,
        `${p.duration} vs ${part.durationMs}`,
      );
      equal(await decodeErrors(part.path), "");
      equal(await decodeErrors(part.path, ["-ss", "2"]), "");
      equal((await Deno.stat(part.path)).size, part.size);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

/** Top-level box types of an MP4 file. */
function topBoxes(bytes: Uint8Array): string[] {
  const types: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 8 <= bytes.length;) {
    let size = view.getUint32(at);
    if (size === 1) size = Number(view.getBigUint64(at + 8));
    types.push(String.fromCharCode(...bytes.subarray(at + 4, at + 8)));
    if (size < 8) break;
    at += size;
  }
  return types;
}

for (const name of ["ffmpeg/h264-aac-g30.mp4", "chromium/h264-opus.mp4"]) {
  Deno.test(`a finished part of ${name} is remuxed into a regular MP4 that seeks`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const part = await record(name, dir, "camera.mp4");
      const boxes = topBoxes(await Deno.readFile(part.path));
      ok(boxes.includes("moov") && !boxes.includes("moof"), boxes.join(" "));
      const p = await probe(part.path);
      ok(
        p.duration !== null && Math.abs(p.duration * 1000 - part.durationMs) < 100,
        `${p.duration}`,
      );
      equal(await decodeErrors(part.path), "");
      equal(await decodeErrors(part.path, ["-ss", "2"]), "");
      equal((await Deno.stat(part.path)).size, part.size);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

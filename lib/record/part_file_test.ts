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

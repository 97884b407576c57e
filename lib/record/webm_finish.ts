/**
 * Finishing a recorded WebM part in place: append Cues, fill the Duration,
 * the Cues SeekHead entry and the sizes of the Segment and of every
 * unknown-size cluster. No media byte moves, so finishing costs one small
 * write per cluster plus the Cues, whatever the file's length.
 */
import { Id } from "../media/ebml.ts";
import type { ClusterIndex } from "./cluster_index.ts";
import { element, floatElement, sizeVintOf, uintElement } from "./ebml_writer.ts";
import { DURATION, seekEntry, type WebmLayout } from "./webm_head.ts";

const CUE_POINT = 0xbb;
const CUE_TIME = 0xb3;
const CUE_TRACK_POSITIONS = 0xb7;
const CUE_TRACK = 0xf7;
const CUE_CLUSTER_POSITION = 0xf1;

/** The file operations finishing needs (`patchable()` adapts a Deno.FsFile). */
export interface PatchableFile {
  writeAt(bytes: Uint8Array, position: number): Promise<void>;
  truncate(size: number): Promise<void>;
  sync(): Promise<void>;
}

/** A Deno.FsFile as a PatchableFile. */
export function patchable(file: Deno.FsFile): PatchableFile {
  return {
    async writeAt(bytes, position) {
      await file.seek(position, Deno.SeekMode.Start);
      let at = 0;
      while (at < bytes.length) at += await file.write(bytes.subarray(at));
    },
    truncate: (size) => file.truncate(size),
    sync: () => file.syncData(),
  };
}

/** The Cues element for an index; positions relative to the Segment body. */
export function cuesElement(index: ClusterIndex, layout: WebmLayout): Uint8Array {
  const points = index.cues.map((cue) =>
    element(
      CUE_POINT,
      uintElement(CUE_TIME, cue.time),
      element(
        CUE_TRACK_POSITIONS,
        uintElement(CUE_TRACK, layout.cueTrack),
        uintElement(CUE_CLUSTER_POSITION, cue.at - layout.dataStart),
      ),
    )
  );
  return element(Id.Cues, ...points);
}

/**
 * Finishes a part whose clusters end at `index.end`: anything after that
 * (a partial element left by a crash) is cut off. Returns the file's size.
 */
export async function finishWebm(
  file: PatchableFile,
  layout: WebmLayout,
  index: ClusterIndex,
): Promise<number> {
  const dataEnd = index.end;
  await file.truncate(dataEnd);
  // Cluster sizes first: a reader of a half-finished file still sees valid clusters.
  const clusters = index.clusters;
  for (let i = 0; i < clusters.length; i++) {
    const c = clusters[i];
    if (!c.unknownSize || c.sizeLength !== 8) continue;
    const next = i + 1 < clusters.length ? clusters[i + 1].at : dataEnd;
    await file.writeAt(sizeVintOf(next - (c.at + 4 + 8), 8), c.at + 4);
  }
  const cues = index.cues.length > 0 ? cuesElement(index, layout) : new Uint8Array(0);
  await file.writeAt(cues, dataEnd);
  const end = dataEnd + cues.length;
  if (cues.length > 0) {
    await file.writeAt(seekEntry(Id.Cues, dataEnd - layout.dataStart), layout.cuesSeekAt);
  }
  const ticks = index.maxTime < 0 ? 0 : index.maxTime;
  await file.writeAt(floatElement(DURATION, ticks), layout.durationAt);
  await file.writeAt(sizeVintOf(end - layout.dataStart, 8), layout.segmentSizeAt);
  await file.sync();
  return end;
}

/**
 * Finds the synthetic lesson's marks in recorded media with ffprobe: the
 * media times (ms, the stream's own timeline) where a picture turns white
 * (a flash) and where sound starts after quiet (a beep). Lets lip_sync_bench
 * judge what the recorders produced on the presenter's clock, apart from how
 * a loaded viewer presents it.
 */

/** Media times (ms) of the first bright frame of each flash in a video file. */
export async function flashes(path: string): Promise<number[]> {
  const rows = await probe(
    path,
    "movie",
    "signalstats",
    "frame=pts_time:frame_tags=lavfi.signalstats.YAVG",
  );
  const out: number[] = [];
  let bright = false;
  for (const [t, y] of rows) {
    const now = Number(y) > 128;
    if (now && !bright) out.push(Number(t) * 1000);
    bright = now;
  }
  return out;
}

/** Media times (ms) where sound begins after at least 0.3 s of quiet in an audio file. */
export async function beeps(path: string): Promise<number[]> {
  const rows = await probe(
    path,
    "amovie",
    "silencedetect=n=-20dB:d=0.3",
    "frame_tags=lavfi.silence_end",
  );
  return rows.map(([end]) => end).filter((v) => v !== undefined && v !== "").map((v) =>
    Number(v) * 1000
  );
}

/** ffprobe over a lavfi source (keeps the file's own timestamps); CSV rows. */
async function probe(path: string, source: string, filter: string, entries: string) {
  const { code, stdout, stderr } = await new Deno.Command("ffprobe", {
    args: [
      ...["-v", "error", "-f", "lavfi", "-i", `${source}=${path},${filter}`],
      ...["-show_entries", entries, "-of", "csv=p=0"],
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`ffprobe failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout).split("\n").filter((l) => l.trim() !== "").map((l) =>
    l.split(",")
  );
}

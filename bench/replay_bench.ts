/**
 * Seek-to-frame benchmark of the replay page in Chromium.
 *
 * A 40 s lesson is recorded by the real server (a child process) from two
 * ffmpeg publishers over PUT /ingest: 640×360 at 15 fps, a keyframe every
 * 3 s, 800 kbit/s, with the media time coded in the colour of the picture's
 * centre (tests/timecoded_lesson.ts). Then `/r/:id` is opened and the seek bar
 * is set to random points, paused; a sample is the time from the input event
 * to the moment both videos have presented the frame of the target
 * (requestVideoFrameCallback with the target's media time). Every sample's
 * frame is checked by its colour: a fast wrong frame would not count.
 *
 * What is measured: the range requests for the Cues' cluster, demuxing and
 * decoding from the keyframe before the target, presentation.
 *
 * Target (not asserted): p50 ≤ 300 ms. Needs `deno task build` first.
 * Usage: deno run -A bench/replay_bench.ts [samples=40]
 */
import { launchBrowser } from "../tests/browser.ts";
import { createRoom } from "../tests/ws_clients.ts";
import { colourTime, recordLesson, timeDistance } from "../tests/timecoded_lesson.ts";
import { startServerProcess } from "./server_process.ts";

const SAMPLES = Number(Deno.args[0] ?? 40);
const LESSON_S = 40;
const VERBOSE = Boolean(Deno.env.get("CHALKCAST_BENCH_VERBOSE"));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const server = await startServerProcess();
try {
  const room = await createRoom(server.origin, "Seek bench");
  console.log(`recording a ${LESSON_S} s lesson (640×360, 15 fps, keyframe every 3 s)…`);
  const id = await recordLesson(server.origin, room, { seconds: LESSON_S, hd: true });
  const rec = await (await fetch(`${server.origin}/api/recordings/${id}`)).json();
  const offsets: Record<string, number> = Object.fromEntries(
    rec.tracks.map((t: { name: string; parts: { offsetMs: number }[] }) => [
      t.name,
      t.parts[0].offsetMs / 1000,
    ]),
  );

  await using browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(`${server.origin}/r/${id}`);
  await page.waitForFunction(() =>
    !document.querySelector<HTMLButtonElement>('[data-testid="replay-play"]')?.disabled
  );
  const duration = rec.durationSeconds as number;
  // Every track has a frame there: past the latest start of a track, before the end.
  const from = Math.max(...Object.values(offsets)) + 0.5;
  const times: number[] = [];
  let wrong = 0;
  let previous = -1;
  for (let i = 0; i < SAMPLES; i++) {
    let target = previous;
    // A seek to the frame already shown presents nothing new: keep targets a second apart.
    while (Math.abs(target - previous) < 1) {
      target = Math.round((from + Math.random() * (duration - 2 - from)) * 10) / 10;
    }
    previous = target;
    const result = await page.evaluate(
      ({ target, offsets }) =>
        new Promise<{ ms: number; frames: Record<string, number[]> }>((resolve, reject) => {
          const bar = document.querySelector<HTMLInputElement>('[data-testid="replay-seek"]')!;
          const frames: Record<string, number[]> = {};
          const t0 = performance.now();
          let left = 2;
          const timer = setTimeout(() => reject(new Error(`seek to ${target} timed out`)), 10_000);
          for (const track of ["camera", "whiteboard"]) {
            const v = document.querySelector<HTMLVideoElement>(`video[data-track="${track}"]`)!;
            const want = target - offsets[track];
            const wait = () =>
              v.requestVideoFrameCallback((_now, meta) => {
                if (Math.abs(meta.mediaTime - want) > 0.1) return wait();
                const c = document.createElement("canvas");
                c.width = 16;
                c.height = 16;
                const ctx = c.getContext("2d")!;
                ctx.drawImage(v, 0, 0, 16, 16);
                frames[track] = [...ctx.getImageData(8, 8, 1, 1).data.slice(0, 3)];
                if (--left === 0) {
                  clearTimeout(timer);
                  resolve({ ms: performance.now() - t0, frames });
                }
              });
            wait();
          }
          bar.value = String(target);
          bar.dispatchEvent(new Event("input", { bubbles: true }));
          bar.dispatchEvent(new Event("change", { bubbles: true }));
        }),
      { target, offsets },
    );
    for (const [track, rgb] of Object.entries(result.frames)) {
      if (timeDistance(colourTime(track, rgb), target - offsets[track]) > 0.6) wrong++;
    }
    times.push(result.ms);
    if (VERBOSE) console.log(`seek to ${target.toFixed(1)} s: ${result.ms.toFixed(0)} ms`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `seek-to-frame, both tracks, ${SAMPLES} random seeks: p50 ${
      percentile(sorted, 50).toFixed(0)
    } ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${
      sorted[sorted.length - 1].toFixed(0)
    } ms (target p50 ≤ 300 ms); wrong frames: ${wrong}`,
  );
  if (wrong > 0) Deno.exitCode = 1;
} finally {
  await server.stop();
}

/**
 * A lesson whose every frame says when it was made: ffmpeg generates a colour
 * that turns once around the hue circle every `PERIOD_S` seconds (per track,
 * with its own phase) and publishes it over `PUT /ingest` like the README's
 * command, in real time. Reading a decoded frame's colour back gives its media
 * time to within a fraction of a second, so a test can tell that a seek
 * showed the right frame. Shared by the replay, export and DVR tests and the
 * replay benchmark.
 */
import type { Page } from "./browser.ts";

/** One turn of the colour circle; longer than any lesson the tests record. */
export const PERIOD_S = 60;
/** Phase of each track, in turns, so the tracks never show the same colour. */
export const PHASE: Record<string, number> = { camera: 0, whiteboard: 0.5 };

/** The picture: small and plain for tests; `hd` puts the colour on a moving test card. */
export interface TimecodedOptions {
  hd?: boolean;
}

/**
 * Starts ffmpeg publishing `seconds` of time-coded video as `track` of room
 * `id`. The centre of the picture carries the colour either way.
 */
export function publishTimecoded(
  origin: string,
  id: string,
  key: string,
  track: string,
  seconds: number,
  options: TimecodedOptions = {},
): Deno.ChildProcess {
  const phase = (PHASE[track] ?? 0) * 2 * Math.PI;
  const angle = `2*PI*T/${PERIOD_S}+${phase.toFixed(6)}`;
  const geq = `r='128+100*cos(${angle})':g='128+100*cos(${angle}-2*PI/3)':` +
    `b='128+100*cos(${angle}-4*PI/3)'`;
  // HD: 640×360 at 15 fps, a keyframe every 3 s and 800 kbit/s, like a camera in the studio.
  const video = options.hd
    ? [
      "-f",
      "lavfi",
      "-i",
      `testsrc2=s=640x360:r=15[card];color=c=black:s=80x45:r=15,format=rgb24,geq=${geq},` +
      `scale=320:180[mark];[card][mark]overlay=x=160:y=90,format=yuv420p`,
      "-g",
      "45",
      "-b:v",
      "800k",
    ]
    : ["-f", "lavfi", "-i", `color=c=black:s=160x120:r=10,format=rgb24,geq=${geq}`, "-g", "10"];
  return new Deno.Command("ffmpeg", {
    args: [
      "-hide_banner",
      "-nostdin",
      "-v",
      "error",
      "-re",
      ...video.slice(0, 4),
      "-t",
      String(seconds),
      "-c:v",
      "libvpx",
      "-deadline",
      "realtime",
      "-cpu-used",
      "8",
      ...(options.hd ? video.slice(4) : ["-b:v", "150k", ...video.slice(4)]),
      "-cluster_time_limit",
      "1000",
      "-f",
      "webm",
      "-method",
      "PUT",
      "-headers",
      `Authorization: Bearer ${key}\r\n`,
      `${origin}/ingest/${id}/${track}`,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

/** The media time (s, modulo PERIOD_S) a frame of `track` with this colour was made at. */
export function colourTime(track: string, [r, g, b]: number[]): number {
  const theta = Math.atan2((g - b) / Math.sqrt(3), (2 * r - g - b) / 3);
  const turns = theta / (2 * Math.PI) - (PHASE[track] ?? 0);
  return (((turns % 1) + 1) % 1) * PERIOD_S;
}

/** Distance between two media times on the colour circle, seconds. */
export function timeDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % PERIOD_S;
  return Math.min(d, PERIOD_S - d);
}

/** What a video element shows: its time and the colour at the centre of its frame. */
export interface FrameProbe {
  currentTime: number;
  readyState: number;
  seeking: boolean;
  rgb: number[];
}

/** Reads the frame of the video matched by `selector` (drawn to a canvas). */
export function probeFrame(page: Page, selector: string): Promise<FrameProbe> {
  return page.evaluate((selector) => {
    const v = document.querySelector<HTMLVideoElement>(selector);
    if (!v) throw new Error(`no ${selector}`);
    const c = document.createElement("canvas");
    c.width = 16;
    c.height = 16;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(v, 0, 0, 16, 16);
    const d = ctx.getImageData(8, 8, 1, 1).data;
    return {
      currentTime: v.currentTime,
      readyState: v.readyState,
      seeking: v.seeking,
      rgb: [d[0], d[1], d[2]],
    };
  }, selector);
}

/** Polls `check` until it returns true or `ms` pass; fails with `what`. */
export async function eventually(what: string, ms: number, check: () => Promise<boolean>) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting until ${what}`);
}

async function getJson(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return await res.json();
}

/** The room's recording in progress, once the recorder has started one. */
export async function waitRecordingId(origin: string, roomId: string): Promise<string> {
  let id = "";
  await eventually("the room is being recorded", 15_000, async () => {
    const room = await getJson(`${origin}/api/rooms/${roomId}`);
    id = typeof room.recordingId === "string" ? room.recordingId : "";
    return id !== "";
  });
  return id;
}

/** Waits until recording `id` is at least `seconds` long, by the server's figures. */
export async function waitRecorded(origin: string, id: string, seconds: number): Promise<void> {
  await eventually(`the recording reaches ${seconds} s`, (seconds + 20) * 1000, async () => {
    const rec = await getJson(`${origin}/api/recordings/${id}`);
    return (rec.durationSeconds as number) >= seconds;
  });
}

export interface LessonScript extends TimecodedOptions {
  seconds: number;
  /**
   * End the room once published, which ends the recording at once (default).
   * Without it the recording ends after the server's grace period.
   */
  endRoom?: boolean;
  /** Things to do once the recording is this long (seconds), in order. */
  steps?: Array<{ atS: number; run: () => Promise<void> | void }>;
}

/**
 * Records a time-coded lesson with a camera and a whiteboard track: publishes
 * both, runs the script's steps at their points of the recording, waits for
 * the publishers to finish, ends the room (which ends the recording; see
 * `endRoom`) and waits until the recording is finished. Returns its id.
 */
export async function recordLesson(
  origin: string,
  room: { id: string; key: string },
  script: LessonScript,
): Promise<string> {
  const publishers = ["camera", "whiteboard"].map((track) =>
    publishTimecoded(origin, room.id, room.key, track, script.seconds, script)
  );
  try {
    const recordingId = await waitRecordingId(origin, room.id);
    for (const step of script.steps ?? []) {
      await waitRecorded(origin, recordingId, step.atS);
      await step.run();
    }
    for (const p of publishers) {
      const out = await p.output();
      if (out.code !== 0) throw new Error(`ffmpeg: ${new TextDecoder().decode(out.stderr)}`);
    }
    if (script.endRoom ?? true) {
      const res = await fetch(`${origin}/api/rooms/${room.id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${room.key}` },
      });
      await res.body?.cancel();
    }
    await eventually("the recording is finished", 15_000, async () => {
      const rec = await getJson(`${origin}/api/recordings/${recordingId}`);
      return rec.live === false;
    });
    return recordingId;
  } catch (err) {
    for (const p of publishers) {
      try {
        p.kill();
      } catch {
        // Already exited.
      }
    }
    throw err;
  }
}

/**
 * Lip sync in Chromium, glass to glass: the presenter's camera and microphone
 * are replaced by a synthetic pair driven by one AudioContext clock, a white
 * flash on the picture exactly while a 1 kHz beep sounds, once a second. The
 * studio publishes them as separate `camera` and `audio` tracks (two
 * MediaRecorders started at different instants). The viewer notes when each
 * flash is presented (requestVideoFrameCallback's expectedDisplayTime) and
 * when each beep is played (the `<audio data-track="audio">` element through
 * Web Audio, its output time mapped to performance.now()). The same probe on
 * the studio's own source gives the offset the source already has (capture
 * and the probe's own paths); the viewer's offset must stay within the
 * product's bound, 80 ms, of it (target: median and 75 % of pairs within it).
 *
 * A benchmark, not a test: the offset is a timing figure (it moved between
 * −60 and −180 ms in one quiet run and stayed within 55 ms in others), so it
 * is printed against its target here instead of failing CI at random.
 * Usage: deno task bench lip_sync
 */
import { launchBrowser } from "../tests/browser.ts";
import { startTestServer } from "../tests/server.ts";

/** The product's lip sync bound (issue #9). */
const MAX_OFFSET_MS = 80;
/** Flash/beep pairs to measure. */
const PAIRS = 6;

{
  const server = await startTestServer();
  await using browser = await launchBrowser();
  try {
    const studio = await browser.newPage();
    await studio.addInitScript(() => {
      // One clock for sound and picture: the beep's gain and the flash both follow ctx.currentTime.
      navigator.mediaDevices.getUserMedia = async () => {
        const ctx = new AudioContext();
        await ctx.resume();
        const osc = ctx.createOscillator();
        osc.frequency.value = 1000;
        const gain = ctx.createGain();
        gain.gain.value = 0;
        const out = ctx.createMediaStreamDestination();
        osc.connect(gain).connect(out);
        osc.start();
        const t0 = Math.ceil(ctx.currentTime) + 1;
        for (let i = 0; i < 600; i++) {
          gain.gain.setValueAtTime(0.8, t0 + i);
          gain.gain.setValueAtTime(0, t0 + i + 0.2);
        }
        const canvas = document.createElement("canvas");
        canvas.width = 320;
        canvas.height = 180;
        const g = canvas.getContext("2d")!;
        setInterval(() => {
          const t = ctx.currentTime - t0;
          g.fillStyle = t >= 0 && t % 1 < 0.2 ? "#fff" : "#000";
          g.fillRect(0, 0, canvas.width, canvas.height);
        }, 4);
        const picture = canvas.captureStream(30);
        const stream = new MediaStream([
          ...picture.getVideoTracks(),
          ...out.stream.getAudioTracks(),
        ]);
        (globalThis as unknown as { __source: MediaStream }).__source = stream;
        return stream;
      };
    });
    await studio.goto(`${server.origin}/studio`);
    const link = studio.locator('[data-testid="viewer-link"]');
    await link.waitFor();
    const viewerUrl = new URL((await link.getAttribute("href"))!, server.origin).href;
    await studio.waitForFunction(() =>
      !document.querySelector<HTMLButtonElement>('[data-testid="go-live"]')?.disabled
    );
    await studio.click('[data-testid="go-live"]');
    await studio.waitForSelector('[data-testid="live-status"][data-status="live"]');

    const viewer = await browser.newPage();
    await viewer.goto(viewerUrl);
    await viewer.waitForSelector('.viewer[data-phase="live"]');
    await viewer.click('[data-testid="unmute"]');
    // The same probe on the presenter's own source (what the camera and microphone give the
    // recorders) and on the viewer's elements: lip sync keeps the source's offset.
    await studio.evaluate(`(${installProbe})("source")`);
    await viewer.evaluate(`(${installProbe})("viewer")`);
    const offsets = async (page: typeof viewer) => {
      const { flashes, beeps } = await page.evaluate(() =>
        (globalThis as unknown as { __sync: { flashes: number[]; beeps: number[] } }).__sync
      );
      return flashes.flatMap((f) => {
        const near = beeps.map((b) => b - f).filter((o) => Math.abs(o) < 500);
        return near.length ? [near.sort((x, y) => Math.abs(x) - Math.abs(y))[0]] : [];
      });
    };
    const until = Date.now() + 60_000;
    let found: number[] = [];
    while (Date.now() < until && found.length < PAIRS + 2) {
      await new Promise((r) => setTimeout(r, 500));
      found = await offsets(viewer);
    }
    const source = median(await offsets(studio));
    // The first pairs may fall in the start-up (seeks to the live edge): judge the rest.
    const judged = found.slice(2).map((o) => o - source);
    console.log(
      `audio − video offsets (ms) at the viewer: ${found.map((o) => o.toFixed(0)).join(", ")}; ` +
        `at the source: ${source.toFixed(0)}`,
    );
    const off = median(judged);
    const inSync = judged.filter((o) => Math.abs(o) <= MAX_OFFSET_MS).length;
    const met = judged.length >= PAIRS && Math.abs(off) <= MAX_OFFSET_MS &&
      inSync >= judged.length * 0.75;
    console.log(
      `lip sync: ${judged.length} pairs judged, median ${
        off.toFixed(0)
      } ms off the source's, ${inSync} within ${MAX_OFFSET_MS} ms: target ${
        met ? "met" : "MISSED"
      }`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
}

/**
 * Runs in a page: notes when each white flash is presented (rVFC) and when
 * each beep is played (Web Audio output time), both on performance.now(), in
 * `globalThis.__sync`. "viewer": the viewer's camera video and voice element;
 * "source": the studio's synthetic stream (`globalThis.__source`).
 */
function installProbe(where: "viewer" | "source") {
  const state = { flashes: [] as number[], beeps: [] as number[] };
  (globalThis as unknown as { __sync: typeof state }).__sync = state;
  const ctx = new AudioContext();
  let v: HTMLVideoElement;
  let sound: AudioNode;
  if (where === "viewer") {
    v = document.querySelector<HTMLVideoElement>('video[data-track="camera"]')!;
    const a = document.querySelector<HTMLAudioElement>('audio[data-track="audio"]')!;
    sound = ctx.createMediaElementSource(a);
  } else {
    const stream = (globalThis as unknown as { __source: MediaStream }).__source;
    v = document.createElement("video");
    v.muted = true;
    v.srcObject = new MediaStream(stream.getVideoTracks());
    v.play();
    sound = ctx.createMediaStreamSource(new MediaStream(stream.getAudioTracks()));
  }
  const c = document.createElement("canvas");
  c.width = 16;
  c.height = 9;
  const g = c.getContext("2d", { willReadFrequently: true })!;
  let bright = false;
  const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
    g.drawImage(v, 0, 0, c.width, c.height);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += d[i];
    const now = sum / (d.length / 4) > 128;
    if (now && !bright) state.flashes.push(meta.expectedDisplayTime);
    bright = now;
    v.requestVideoFrameCallback(onFrame);
  };
  v.requestVideoFrameCallback(onFrame);
  const tap = ctx.createScriptProcessor(256, 1, 1);
  sound.connect(tap).connect(ctx.destination);
  let quiet = Infinity;
  tap.onaudioprocess = (e) => {
    const d = e.inputBuffer.getChannelData(0);
    for (let i = 0; i < d.length; i++) {
      if (Math.abs(d[i]) < 0.2) {
        quiet++;
        continue;
      }
      // A beep begins after ≥ 0.3 s of quiet (a sine crosses zero every half period).
      if (quiet > ctx.sampleRate * 0.3) {
        const ts = ctx.getOutputTimestamp();
        const at = e.playbackTime + i / ctx.sampleRate;
        state.beeps.push(ts.performanceTime! + (at - ts.contextTime!) * 1000);
      }
      quiet = 0;
    }
  };
}

/**
 * A viewer on a fast link starts on `high` (docs/profiles.md "How it moves",
 * lib/client/start_profile.ts). Unemulated, Chromium's downlink hint is a
 * guess of 1.5 Mbit/s, under high's need with headroom before any `stats`;
 * the page used to start such a viewer on `medium`: a camera-low lane, a
 * probe, then a second lane for camera and whiteboard, so its video came a
 * lane later and sometimes camera-low showed first (the latency bench then
 * counted a join whose camera never showed). Here every lane the page opens
 * asks for the camera and the whiteboard, the first profile shown is high,
 * and camera-low never shows first in the camera's place. (Later steps are the
 * policy's business: on a loaded machine a viewer may step down, and that is
 * not what this test is about.)
 */
import assert from "node:assert/strict";
import { openLesson } from "./lesson_pages.ts";

/** What the page did from its first script on: lane hellos, profiles shown, first frames. */
interface Start {
  lanes: string[][];
  profiles: string[];
  frames: Record<string, number>;
  /** The track of the camera element's first presented frame (`camera` or `camera-low`). */
  cameraSlot?: string;
}

/** Runs before the page's own scripts: notes lane hellos, `data-profile` values and frames. */
function recordStart(): void {
  const start: Start = { lanes: [], profiles: [], frames: {} };
  (globalThis as unknown as { __start: Start }).__start = start;
  const Native = globalThis.WebSocket;
  globalThis.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      if (!String(url).includes("lane")) return;
      const send = this.send.bind(this);
      this.send = (data) => {
        const m = typeof data === "string" ? JSON.parse(data) : null;
        if (m?.type === "hello") start.lanes.push(m.tracks ?? []);
        send(data);
      };
    }
  };
  const hooked = new WeakSet<Element>();
  const note = () => {
    const viewer = document.querySelector<HTMLElement>(".viewer");
    const profile = viewer?.dataset.profile;
    if (profile && start.profiles.at(-1) !== profile) start.profiles.push(profile);
    for (const v of document.querySelectorAll<HTMLVideoElement>("video[data-track]")) {
      if (hooked.has(v)) continue;
      hooked.add(v);
      const onFrame = () => {
        const track = v.dataset.track!;
        if (track.startsWith("camera")) start.cameraSlot ??= track;
        start.frames[track] = (start.frames[track] ?? 0) + 1;
        v.requestVideoFrameCallback(onFrame);
      };
      v.requestVideoFrameCallback(onFrame);
    }
  };
  new MutationObserver(note).observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["data-profile"],
  });
}

Deno.test("viewer start: a fast link starts on high, one lane for camera and whiteboard", async () => {
  await using lesson = await openLesson();
  const viewer = await lesson.page("viewer");
  await viewer.addInitScript(recordStart);
  await viewer.goto(lesson.viewerUrl);
  // The camera shows its frames, and so does the whiteboard. A loaded machine's studio may stall
  // its recorders a few seconds, and the viewer then steps down (the lane's video is late): what
  // follows is the policy's business, not the start's, so a step down ends the wait too.
  await viewer.waitForFunction(
    () => {
      const s = (globalThis as unknown as { __start: Start }).__start;
      // profiles[0] is the server-rendered placeholder: wait for the island's own.
      return s.profiles.length > 1 &&
        (((s.frames.camera ?? 0) > 0 && (s.frames.whiteboard ?? 0) > 0) ||
          s.profiles.at(-1) !== "high");
    },
    null,
    { timeout: 15_000 },
  );
  const start = await viewer.evaluate(() => (globalThis as unknown as { __start: Start }).__start);
  const hint = await viewer.evaluate(() =>
    (navigator as unknown as { connection?: { downlink?: number } }).connection?.downlink
  );
  const seen = `downlink hint ${hint} Mbit/s: ${JSON.stringify(start)}`;
  // The server-rendered page says `ultra-low` until the island runs; then it starts on high…
  assert.equal(start.profiles[1], "high", seen);
  // …whose lane takes both videos at once (not camera-low first)…
  assert.deepEqual(start.lanes[0], ["camera", "whiteboard"], seen);
  // …and no camera-low ever showed in the camera's place before the camera.
  assert.notEqual(start.cameraSlot, "camera-low", seen);
  lesson.assertNoPageErrors();
});

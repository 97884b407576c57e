/**
 * Bytes per minute per viewer profile, for a real lesson in Chromium against
 * the real server (a child process): a studio live with fake camera and
 * microphone (camera, whiteboard, voice), a 3-page deck uploaded from it, a
 * stroke drawn every 3 s and the slide moved every 10 s. One viewer page per
 * profile, forced with `/s/:id?profile=<p>`, all watching at once.
 *
 * Counted in each viewer over CDP (Network domain), from its page load on,
 * with the page's assets already cached (as a returning student has them):
 * every WebSocket frame received (payload + frame header) and every HTTP
 * response (`loadingFinished` encodedDataLength: headers and body as they came
 * over the wire — the page, slide images, probes, camera snapshots). Printed
 * per profile: the first 5 s (start-up) and the steady rate after it, scaled
 * to a minute, with the profile the page showed (`data-profile`), and what
 * the steady bytes carried (tracks, message types, HTTP responses).
 *
 * Target (issue #9, not asserted): ultra-low ≤ 300 KB per minute.
 * Needs `deno task build` first (the bench task does it).
 * Usage: deno run -A bench/profile_bench.ts [seconds=40] [profiles=ultra-low,low,medium,high]
 */
import type { CDPSession } from "playwright-core";
import { launchBrowser, type Page } from "../tests/browser.ts";
import { goLive, uploadImageDeck } from "../tests/studio_page.ts";
import { press, stroke } from "../tests/slide_latency.ts";
import { startServerProcess } from "./server_process.ts";
import {
  byLabel,
  frameBytes,
  frameLabel,
  httpLabel,
  type Received,
  totals,
} from "./received_bytes.ts";

const SECONDS = Number(Deno.args[0] ?? 40);
const PROFILES = (Deno.args[1] ?? "ultra-low,low,medium,high").split(",");
const STARTUP_MS = 5_000;
const STROKE_EVERY_MS = 3_000;
const SLIDE_EVERY_MS = 10_000;

/** One viewer page and what it received, each with the ms since its page load began. */
interface Watch {
  profile: string;
  page: Page;
  cdp: CDPSession;
  received: Received[];
  startedAt: number;
}

/** Opens the viewer in `profile`, caches its assets, then counts from a fresh load on. */
async function watch(page: Page, url: string, profile: string): Promise<Watch> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const w: Watch = { profile, page, cdp, received: [], startedAt: 0 };
  const at = () => performance.now() - w.startedAt;
  cdp.on("Network.webSocketFrameReceived", (e) => {
    const { opcode, payloadData } = e.response;
    const bytes = frameBytes(opcode, payloadData);
    w.received.push({ at: at(), kind: "ws", bytes, label: frameLabel(opcode, payloadData) });
  });
  const urls = new Map<string, string>();
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => {
    const label = httpLabel(urls.get(e.requestId) ?? "http://x/");
    w.received.push({ at: at(), kind: "http", bytes: e.encodedDataLength, label });
  });
  const address = `${url}?profile=${encodeURIComponent(profile)}`;
  await page.goto(address);
  await page.waitForSelector('[data-testid="unmute"]:not([disabled])');
  w.received.length = 0;
  w.startedAt = performance.now();
  await page.reload({ waitUntil: "commit" });
  return w;
}

/** The lesson goes on: a stroke every 3 s, the slide forward twice and back twice, every 10 s. */
async function teach(studio: Page, ms: number): Promise<void> {
  const moves = ["PageDown", "PageDown", "PageUp", "PageUp"];
  const start = performance.now();
  for (let n = 1; performance.now() - start < ms; n++) {
    await new Promise((r) => setTimeout(r, STROKE_EVERY_MS));
    await stroke(studio, 0.2 + (n % 6) * 0.1);
    if ((n * STROKE_EVERY_MS) % SLIDE_EVERY_MS < STROKE_EVERY_MS) {
      await press(studio, moves[Math.floor((n * STROKE_EVERY_MS) / SLIDE_EVERY_MS) % 4]);
    }
  }
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

const server = await startServerProcess();
await using browser = await launchBrowser();
try {
  const studio = await browser.newPage();
  const { viewerUrl } = await goLive(studio, server.origin);
  await uploadImageDeck(studio, 3);
  await stroke(studio, 0.3);
  const watches = await Promise.all(
    PROFILES.map(async (p) => watch(await browser.newPage(), viewerUrl, p)),
  );
  await teach(studio, SECONDS * 1000);
  const shown = await Promise.all(
    watches.map((w) =>
      w.page.evaluate(() =>
        document.querySelector<HTMLElement>('[data-testid="profile"]')?.dataset.profile ?? "none"
      )
    ),
  );
  console.log(
    `${SECONDS} s of a lesson per profile (first ${STARTUP_MS / 1000} s = start-up); KB = 1000 B`,
  );
  console.log(
    "profile   | shown     | start-up KB | steady KB/min | kbit/s | WebSocket KB/min | HTTP KB/min",
  );
  const parts: string[] = [];
  watches.forEach((w, i) => {
    const top = byLabel(w.received, STARTUP_MS, SECONDS * 1000).slice(0, 6);
    parts.push(`${w.profile}: ${top.map((p) => `${p.label} ${kb(p.perMinute)}`).join(", ")}`);
    const t = totals(w.received, STARTUP_MS, SECONDS * 1000);
    console.log(
      [
        w.profile.padEnd(9),
        shown[i].padEnd(9),
        kb(t.startup).padStart(11),
        kb(t.perMinute).padStart(13),
        ((t.perMinute * 8) / 60_000).toFixed(1).padStart(6),
        kb(t.wsPerMinute).padStart(16),
        kb(t.httpPerMinute).padStart(11),
      ].join(" | "),
    );
  });
  console.log("steady KB/min by what it carried (track, message or HTTP response):");
  for (const p of parts) console.log(`  ${p}`);
} finally {
  await browser.close();
  await server.stop();
}

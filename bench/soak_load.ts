/**
 * Load generator for the soak benchmark, run as its own process: publishes
 * the looping 1 Mbit/s source over a publisher WebSocket in real time for
 * SECONDS, holds STABLE viewers for the whole run and CHURN viewer slots whose
 * viewers leave after 20-120 s and are replaced at once. Every viewer maps each
 * media frame back to the chunk that carried it; a chunk index skipped between
 * two frames is a lost segment. Prints a JSON progress line every minute and a
 * final one with `"done": true`.
 * Usage: deno run -A bench/soak_load.ts ORIGIN ROOM KEY STABLE CHURN SECONDS
 */
import { encodeClient, encodeMedia, PROTOCOL_VERSION } from "../lib/protocol.ts";
import { loopChunk, soakSource } from "./soak_source.ts";

const [origin, room, key, stableArg, churnArg, secondsArg] = Deno.args;
const stableCount = Number(stableArg);
const churnCount = Number(churnArg);
const seconds = Number(secondsArg);
const wsOrigin = origin.replace(/^http/, "ws");
const clock = () => performance.timeOrigin + performance.now();
const source = await soakSource(60);
const n = source.chunks.length;
/** Loop-0 timestamp → chunk index. */
const chunkOf = new Map<number, number>();
source.chunks.forEach((c, i) => c.timestamps.forEach((t) => chunkOf.set(t, i)));

/** Global chunk index of a media frame's timestamp, or -1 when it matches none. */
function indexOf(ts: number): number {
  const loop = Math.floor((ts - source.firstMs) / source.loopMs);
  const i = chunkOf.get(ts - loop * source.loopMs);
  return i === undefined ? -1 : loop * n + i;
}

interface Viewer {
  ws: WebSocket;
  stable: boolean;
  last: number;
  frames: number;
  lost: number;
  unmatched: number;
  closedByServer: boolean;
  leaving: boolean;
}

const viewers = new Set<Viewer>();
const totals = {
  stableLost: 0,
  stableFrames: 0,
  stableClosed: 0,
  churnLost: 0,
  churnFrames: 0,
  churnJoins: 0,
  churnClosed: 0,
  unmatched: 0,
};

function openViewer(stable: boolean): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsOrigin}/api/rooms/${room}/watch`);
    ws.binaryType = "arraybuffer";
    const v: Viewer = {
      ws,
      stable,
      last: -1,
      frames: 0,
      lost: 0,
      unmatched: 0,
      closedByServer: false,
      leaving: false,
    };
    ws.onopen = () =>
      ws.send(encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "viewer", room }));
    ws.onmessage = (e) => {
      if (typeof e.data === "string") {
        if (e.data.includes('"welcome"')) resolve(v);
        else if (e.data.includes('"ping"')) ws.send(encodeClient({ type: "pong" }));
        return;
      }
      const view = new DataView(e.data as ArrayBuffer);
      if (view.getUint8(0) !== 2) return; // media only, not init
      const index = indexOf(view.getFloat64(3 + view.getUint8(2)));
      if (index < 0) {
        v.unmatched++;
        return;
      }
      v.frames++;
      if (v.last >= 0 && index > v.last + 1) v.lost += index - v.last - 1;
      if (index > v.last) v.last = index;
    };
    ws.onclose = () => {
      if (!v.leaving) v.closedByServer = true;
      reject(new Error("closed before welcome"));
    };
    ws.onerror = () => {};
    viewers.add(v);
  });
}

/** Folds a viewer's figures into the totals and forgets it. */
function retire(v: Viewer): void {
  viewers.delete(v);
  totals.unmatched += v.unmatched;
  if (v.stable) {
    totals.stableLost += v.lost;
    totals.stableFrames += v.frames;
    if (v.closedByServer) totals.stableClosed++;
  } else {
    totals.churnLost += v.lost;
    totals.churnFrames += v.frames;
    if (v.closedByServer) totals.churnClosed++;
  }
}

function report(t: number, done: boolean): void {
  let stableLost = totals.stableLost, stableFrames = totals.stableFrames;
  let stableClosed = totals.stableClosed;
  for (const v of viewers) {
    if (!v.stable) continue;
    stableLost += v.lost;
    stableFrames += v.frames;
    if (v.closedByServer) stableClosed++;
  }
  console.log(JSON.stringify({
    t: Math.round(t),
    done,
    viewers: viewers.size,
    stableLost,
    stableFrames,
    stableClosed,
    churnJoins: totals.churnJoins,
    churnLost: totals.churnLost,
    churnFrames: totals.churnFrames,
    churnClosed: totals.churnClosed,
    unmatched: totals.unmatched,
    publisherLateMs: Math.round(publisherLateMs),
  }));
}

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - clock())));
let publisherLateMs = 0;
let running = true;

const publisher = new WebSocket(`${wsOrigin}/api/rooms/${room}/publish`);
publisher.binaryType = "arraybuffer";
await new Promise((resolve) => (publisher.onopen = resolve));
publisher.onmessage = (e) => {
  if (typeof e.data === "string" && e.data.includes('"ping"')) {
    publisher.send(encodeClient({ type: "pong" }));
  }
};
publisher.send(encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "publisher", room, key }));
publisher.send(encodeClient({ type: "track-start", track: "camera", mime: source.mime }));
publisher.send(
  encodeMedia({ kind: "chunk", track: "camera", timestampMs: 0, payload: source.init }),
);

const startAt = clock();
const endAt = startAt + seconds * 1000;
const publishing = (async () => {
  for (let g = 0; running; g++) {
    const loop = Math.floor(g / n), i = g % n;
    const at = startAt + loop * source.loopMs + source.chunks[i].atMs - source.firstMs;
    if (at > endAt) break;
    await sleepUntil(at);
    publisherLateMs = Math.max(publisherLateMs, clock() - at);
    publisher.send(
      encodeMedia({
        kind: "chunk",
        track: "camera",
        timestampMs: at - startAt,
        payload: loopChunk(source, loop, i),
      }),
    );
  }
})();

for (let i = 0; i < stableCount; i++) await openViewer(true);
const churning = Array.from({ length: churnCount }, async () => {
  while (running && clock() < endAt - 1000) {
    const v = await openViewer(false).catch(() => null);
    totals.churnJoins++;
    const stay = 20_000 + Math.random() * 100_000;
    await sleepUntil(Math.min(endAt, clock() + stay));
    if (v) {
      v.leaving = true;
      v.ws.close();
      retire(v);
    }
  }
});

const progress = setInterval(() => report((clock() - startAt) / 1000, false), 60_000);
await sleepUntil(endAt + 1000);
running = false;
clearInterval(progress);
await publishing;
await Promise.all(churning);
report((clock() - startAt) / 1000, true);
for (const v of [...viewers]) {
  v.leaving = true;
  v.ws.close();
}
publisher.close();
setTimeout(() => Deno.exit(0), 300);

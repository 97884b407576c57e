/**
 * Load generator for the fan-out benchmark, run as its own process: opens N
 * viewer WebSockets on one room and, in the one process told to publish,
 * sends the 1 Mbit/s source over a publisher WebSocket in real time. Several
 * of these run side by side to spread the load; they agree on an absolute
 * start time (epoch ms, read from stdin after each prints "ready"), so each
 * knows when every frame was due and notes how long after that it arrived
 * (the backlog behind live). Prints one JSON line of results.
 *
 * EGRESS is `ws` (viewer WebSockets, `/api/rooms/:id/watch`) or `http` (plain
 * HTTP streams, `/s/:id/camera/live`, whose WebM is read with WebmClock). An
 * HTTP stream needs the track to exist, so the publishing process starts the
 * track before it opens its viewers and says "ready"; the orchestrator starts
 * the other processes after that.
 * Usage: deno run -A bench/fanout_load.ts ORIGIN ROOM KEY VIEWERS SECONDS PUBLISH(0|1) [EGRESS]
 */
import { encodeClient, encodeMedia, PROTOCOL_VERSION } from "../lib/protocol.ts";
import { streamSource } from "./stream_source.ts";
import { WebmClock } from "./webm_clock.ts";

const [origin, room, key, viewersArg, secondsArg, publishArg, egressArg = "ws"] = Deno.args;
const viewers = Number(viewersArg);
const seconds = Number(secondsArg);
const publishes = publishArg === "1";
const egress = egressArg === "http" ? "http" : "ws";
const WARMUP_MS = 3000;
const wsOrigin = origin.replace(/^http/, "ws");
const clock = () => performance.timeOrigin + performance.now();
const clock_ = clock;

const source = await streamSource(Math.max(30, seconds + 5));
const due = new Set(source.chunks.flatMap((c) => c.timestamps));
const firstTs = source.chunks[0].atMs;
const chunkStarts = source.chunks.map((c) => c.atMs);
/** Media time of the chunk that carried the frame at `ts` (when the publisher sent it), or NaN. */
function chunkOf(ts: number): number {
  if (ts < chunkStarts[0] || ts > source.durationMs + 1000) return NaN;
  let [lo, hi] = [0, chunkStarts.length - 1];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunkStarts[mid] <= ts) lo = mid;
    else hi = mid - 1;
  }
  return chunkStarts[lo];
}
let startAt = 0;
let measuring = false;
let bytes = 0;
let frames = 0;
let unmatched = 0;
let closedEarly = 0;
const backlogs: number[] = [];

function onMedia(data: ArrayBuffer, received: number) {
  if (!measuring) return;
  const view = new DataView(data);
  if (view.getUint8(0) !== 2) return; // media only, not init
  const ts = view.getFloat64(3 + view.getUint8(2));
  bytes += data.byteLength;
  frames++;
  if (!due.has(ts)) unmatched++;
  else backlogs.push(received - (startAt + ts - firstTs));
}

/**
 * One HTTP viewer: counts body bytes and notes one backlog sample per source
 * chunk (its first frame), as a WebSocket viewer gets one per segment.
 */
async function openHttpViewer(): Promise<{ close(): void }> {
  const res = await fetch(`${origin}/s/${room}/camera/live`);
  if (!res.ok || !res.body) throw new Error(`live stream: HTTP ${res.status}`);
  const reader = res.body.getReader();
  let lastChunk = NaN;
  const clock = new WebmClock((ts) => {
    if (!measuring) return;
    const chunkAt = chunkOf(ts);
    if (Number.isNaN(chunkAt)) return void unmatched++;
    if (chunkAt === lastChunk) return;
    lastChunk = chunkAt;
    frames++;
    backlogs.push(now - (startAt + chunkAt - firstTs));
  });
  let now = 0;
  (async () => {
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        // Every byte goes through the walker (it tracks element boundaries); only
        // those that arrive while measuring count.
        now = clock_();
        if (measuring) bytes += next.value.byteLength;
        clock.push(next.value);
      }
    } catch {
      // cancelled at the end
    }
    if (measuring) closedEarly++;
  })();
  return { close: () => reader.cancel().catch(() => {}) };
}

function openViewer(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsOrigin}/api/rooms/${room}/watch`);
    ws.binaryType = "arraybuffer";
    ws.onopen = () =>
      ws.send(encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "viewer", room }));
    ws.onmessage = (e) => {
      if (typeof e.data !== "string") return onMedia(e.data as ArrayBuffer, clock());
      if (e.data.includes('"welcome"')) resolve(ws);
      else if (e.data.includes('"ping"')) ws.send(encodeClient({ type: "pong" }));
    };
    ws.onclose = () => {
      closedEarly++;
      reject(new Error("closed"));
    };
    ws.onerror = () => {};
  });
}

// The publisher connects first so that the track exists for HTTP viewers.
const publisher = publishes ? new WebSocket(`${wsOrigin}/api/rooms/${room}/publish`) : null;
if (publisher) {
  await new Promise((resolve) => (publisher.onopen = resolve));
  publisher.send(
    encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "publisher", room, key }),
  );
  publisher.send(encodeClient({ type: "track-start", track: "camera", mime: source.mime }));
  await new Promise<void>((resolve) => {
    publisher.onmessage = (e) => {
      if (String(e.data).includes('"state"') && String(e.data).includes('"camera"')) resolve();
    };
  });
}

const sockets: { close(): void }[] = [];
const open = egress === "http" ? openHttpViewer : openViewer;
for (let i = 0; i < viewers; i += 100) {
  sockets.push(...await Promise.all(Array.from({ length: Math.min(100, viewers - i) }, open)));
}

console.log("ready");
const stdin = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
startAt = Number((await stdin.read()).value);
const endAt = startAt + WARMUP_MS + seconds * 1000;
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - clock())));

let publisherLateMs = 0;
const publishing = (async () => {
  if (!publisher) return;
  for (const chunk of source.chunks) {
    const at = startAt + chunk.atMs - firstTs;
    if (at > endAt) break;
    await sleepUntil(at);
    publisherLateMs = Math.max(publisherLateMs, clock() - at);
    publisher.send(
      encodeMedia({
        kind: "chunk",
        track: "camera",
        timestampMs: chunk.atMs,
        payload: chunk.bytes,
      }),
    );
  }
  await sleepUntil(endAt + 500);
  publisher.close();
})();
await sleepUntil(startAt + WARMUP_MS);
measuring = true;
await sleepUntil(endAt + 500);
measuring = false;
await publishing;

console.log(JSON.stringify({
  viewers,
  connected: sockets.length,
  closedEarly,
  sourceMbps: source.bitsPerSecond / 1e6,
  deliveredMbps: (bytes * 8) / 1e6 / seconds,
  frames,
  unmatched,
  publisherLateMs,
  backlogs,
}));
for (const ws of sockets) ws.close();
setTimeout(() => Deno.exit(0), 200);

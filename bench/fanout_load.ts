/**
 * Load generator for the fan-out benchmark, run as its own process: opens N
 * viewer WebSockets on one room and, in the one process told to publish,
 * sends the 1 Mbit/s source over a publisher WebSocket in real time. Several
 * of these run side by side to spread the load; they agree on an absolute
 * start time (epoch ms, read from stdin after each prints "ready"), so each
 * knows when every frame was due and notes how long after that it arrived
 * (the backlog behind live). Prints one JSON line of results.
 * Usage: deno run -A bench/fanout_load.ts ORIGIN ROOM KEY VIEWERS SECONDS PUBLISH(0|1)
 */
import { encodeClient, encodeMedia, PROTOCOL_VERSION } from "../lib/protocol.ts";
import { streamSource } from "./stream_source.ts";

const [origin, room, key, viewersArg, secondsArg, publishArg] = Deno.args;
const viewers = Number(viewersArg);
const seconds = Number(secondsArg);
const publishes = publishArg === "1";
const WARMUP_MS = 3000;
const wsOrigin = origin.replace(/^http/, "ws");
const clock = () => performance.timeOrigin + performance.now();

const source = await streamSource(Math.max(30, seconds + 5));
const due = new Set(source.chunks.flatMap((c) => c.timestamps));
const firstTs = source.chunks[0].atMs;
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

const sockets: WebSocket[] = [];
for (let i = 0; i < viewers; i += 100) {
  sockets.push(
    ...await Promise.all(Array.from({ length: Math.min(100, viewers - i) }, openViewer)),
  );
}

console.log("ready");
const stdin = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
startAt = Number((await stdin.read()).value);
const endAt = startAt + WARMUP_MS + seconds * 1000;
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - clock())));

let publisherLateMs = 0;
const publishing = (async () => {
  if (!publishes) return;
  const publisher = new WebSocket(`${wsOrigin}/api/rooms/${room}/publish`);
  await new Promise((resolve) => (publisher.onopen = resolve));
  publisher.send(
    encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "publisher", room, key }),
  );
  publisher.send(encodeClient({ type: "track-start", track: "camera", mime: source.mime }));
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

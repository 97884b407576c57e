/**
 * Load generator for the fan-out benchmark, run as its own process: opens N
 * viewer WebSockets on one room and, in the one process told to publish,
 * sends the 1 Mbit/s source over a publisher WebSocket in real time. Several
 * of these run side by side to spread the load; they agree on an absolute
 * start time (epoch ms, read from stdin after each prints "ready"), so each
 * knows when every frame was due and notes how long after that it arrived
 * (the backlog behind live). After the measured window the viewers stay
 * connected and the publisher keeps sending for HOLD ms (the second number on
 * the start line), so the orchestrator can settle and read the server's
 * memory under the same load without its GC pauses landing in the backlog
 * figures. Prints one JSON line of results.
 *
 * EGRESS is `ws` (viewer WebSockets, `/api/rooms/:id/watch`) or `http` (plain
 * HTTP streams, `/s/:id/camera/live` on raw sockets, their WebM read with
 * WebmClock). An
 * HTTP stream needs the track to exist, so the publishing process starts the
 * track before it opens its viewers and says "ready"; the orchestrator starts
 * the other processes after that.
 *
 * TRACKS `audio` loads ultra-low viewers (issue #9): each says hello with
 * `tracks: ["audio"]`; the publisher sends, besides the camera, a 24 kbit/s
 * Opus voice track (bench/voice_source.ts) and teaches a lesson
 * (bench/lesson_events.ts: a deck, a stroke every 3 s, a slide move every
 * 10 s). The voice is then what is measured. `all` (the default): every
 * track, the camera measured.
 * Usage: deno run -A bench/fanout_load.ts ORIGIN ROOM KEY VIEWERS SECONDS PUBLISH(0|1) [EGRESS]
 *        [TRACKS=all|audio]
 */
import { encodeClient, encodeMedia, PROTOCOL_VERSION } from "../lib/protocol.ts";
import { sourceSeconds, streamSource } from "./stream_source.ts";
import { WebmClock } from "./webm_clock.ts";
import { ChunkedReader } from "./chunked_reader.ts";
import { voiceSource } from "./voice_source.ts";
import { teach, uploadLessonDeck } from "./lesson_events.ts";

const [origin, room, key, viewersArg, secondsArg, publishArg, egressArg = "ws", tracksArg] =
  Deno.args;
const viewers = Number(viewersArg);
const seconds = Number(secondsArg);
const publishes = publishArg === "1";
const egress = egressArg === "http" ? "http" : "ws";
const WARMUP_MS = 3000;
const wsOrigin = origin.replace(/^http/, "ws");
const clock = () => performance.timeOrigin + performance.now();

const camera = await streamSource(sourceSeconds(seconds));
const voiceOnly = tracksArg === "audio";
/** The track the viewers take and the load measures. */
const track = voiceOnly ? "audio" : "camera";
const source = voiceOnly ? await voiceSource(sourceSeconds(seconds)) : camera;
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
/** Slide and ink messages the viewers received while measuring (the lesson's, with TRACKS audio). */
let lessonMessages = 0;
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
 * One HTTP viewer on a raw TCP socket (see ChunkedReader): counts body bytes
 * and notes one backlog sample per source chunk (its first frame), as a
 * WebSocket viewer gets one per segment.
 */
async function openHttpViewer(): Promise<{ close(): void }> {
  const url = new URL(origin);
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  await conn.write(
    new TextEncoder().encode(
      `GET /s/${room}/${track}/live HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`,
    ),
  );
  let lastChunk = NaN;
  let now = 0;
  const webm = new WebmClock((ts) => {
    if (!measuring) return;
    const chunkAt = chunkOf(ts);
    if (Number.isNaN(chunkAt)) return void unmatched++;
    if (chunkAt === lastChunk) return;
    lastChunk = chunkAt;
    frames++;
    backlogs.push(now - (startAt + chunkAt - firstTs));
  });
  // Every byte goes through the walker (it tracks element boundaries); only
  // those that arrive while measuring count.
  const http = new ChunkedReader((body) => {
    if (measuring) bytes += body.byteLength;
    webm.push(body);
  });
  const buf = new Uint8Array(32 * 1024);
  let first = true;
  const ready = Promise.withResolvers<void>();
  (async () => {
    try {
      for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
        now = clock();
        http.push(buf.subarray(0, n));
        if (first) ready.resolve(), first = false;
      }
    } catch (err) {
      ready.reject(err);
    }
    if (measuring) closedEarly++;
  })();
  await ready.promise;
  return { close: () => conn.close() };
}

/**
 * A viewer WebSocket, retried a few times: under load the server may refuse a
 * burst of connections that have not said hello yet (429) or close one that
 * was too slow to say it; a real client reconnects too.
 */
async function openViewer(): Promise<WebSocket> {
  for (let attempt = 1;; attempt++) {
    try {
      return await tryViewer();
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** Every viewer's hello: ultra-low viewers take the voice alone. */
const hello = encodeClient({
  type: "hello",
  v: PROTOCOL_VERSION,
  role: "viewer",
  room,
  ...(voiceOnly ? { tracks: [track] } : {}),
});

function tryViewer(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsOrigin}/api/rooms/${room}/watch`);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => ws.send(hello);
    ws.onmessage = (e) => {
      if (typeof e.data !== "string") return onMedia(e.data as ArrayBuffer, clock());
      if (e.data.includes('"welcome"')) {
        welcomed = true;
        resolve(ws);
      } else if (e.data.includes('"ping"')) ws.send(encodeClient({ type: "pong" }));
      else if (measuring && /^\{"type":"(ink|slide)"/.test(e.data)) lessonMessages++;
    };
    let welcomed = false;
    ws.onclose = () => {
      if (welcomed) closedEarly++;
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
  publisher.send(encodeClient({ type: "track-start", track: "camera", mime: camera.mime }));
  if (voiceOnly) {
    publisher.send(encodeClient({ type: "track-start", track, mime: source.mime }));
  }
  await new Promise<void>((resolve) => {
    publisher.onmessage = (e) => {
      if (String(e.data).includes('"state"') && String(e.data).includes(`"${track}"`)) resolve();
    };
  });
  if (voiceOnly) await uploadLessonDeck({ origin, id: room, key });
}

const sockets: { close(): void }[] = [];
const open = egress === "http" ? openHttpViewer : openViewer;
// 50 at a time per process: the server allows 200 connections that have not said hello yet.
for (let i = 0; i < viewers; i += 50) {
  sockets.push(...await Promise.all(Array.from({ length: Math.min(50, viewers - i) }, open)));
}

console.log("ready");
const stdin = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
const [startLine, holdLine] = String((await stdin.read()).value).trim().split(" ");
startAt = Number(startLine);
const holdMs = Number(holdLine ?? 0);
const endAt = startAt + WARMUP_MS + seconds * 1000;
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - clock())));

let publisherLateMs = 0;
const publishing = (async () => {
  if (!publisher) return;
  const lesson = voiceOnly
    ? teach({ origin, id: room, key }, (m) => publisher.send(encodeClient(m)))
    : null;
  // Camera and voice chunks in time order (each stream starts at its own first timestamp).
  const sent = [camera, ...(voiceOnly ? [source] : [])].flatMap((s, i) =>
    s.chunks.map((chunk) => ({
      track: i === 0 ? "camera" : track,
      chunk,
      at: startAt + chunk.atMs - s.chunks[0].atMs,
    }))
  ).sort((a, b) => a.at - b.at);
  for (const { track, chunk, at } of sent) {
    if (at > endAt + holdMs) break;
    await sleepUntil(at);
    publisherLateMs = Math.max(publisherLateMs, clock() - at);
    publisher.send(
      encodeMedia({ kind: "chunk", track, timestampMs: chunk.atMs, payload: chunk.bytes }),
    );
  }
  await sleepUntil(endAt + holdMs + 500);
  lesson?.stop();
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
  lessonMessages,
  publisherLateMs,
  backlogs,
}));
for (const ws of sockets) ws.close();
setTimeout(() => Deno.exit(0), 200);

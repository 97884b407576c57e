/**
 * Test clients that speak the real protocol over real sockets: a publisher
 * that replays a recorded fixture with its original chunking and pacing, and
 * a watcher that records every frame it receives.
 */
import { concat } from "../lib/media/bytes.ts";
import {
  decodeMedia,
  decodeServer,
  encodeClient,
  encodeMedia,
  type MediaFrame,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "../lib/protocol.ts";

const fixtures = new URL("./fixtures/", import.meta.url);

export interface Fixture {
  mime: string;
  bytes: Uint8Array;
  /** Each MediaRecorder chunk with the ms it arrived after recording began. */
  chunks: Array<{ bytes: Uint8Array; atMs: number }>;
}

/** A Chromium recording with its real dataavailable chunking (tests/fixtures/chromium). */
export async function loadFixture(name: string): Promise<Fixture> {
  const bytes = await Deno.readFile(new URL(`chromium/${name}`, fixtures));
  const side = JSON.parse(
    await Deno.readTextFile(
      new URL(`chromium/${name.replace(/\.\w+$/, "")}.chunks.json`, fixtures),
    ),
  );
  const chunks: Fixture["chunks"] = [];
  let at = 0;
  side.chunks.forEach((length: number, i: number) => {
    chunks.push({ bytes: bytes.subarray(at, at + length), atMs: side.receivedAtMs[i] });
    at += length;
  });
  return { mime: side.mimeType, bytes, chunks };
}

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`could not open ${url}`));
  });
}

/** Records what a socket receives: JSON messages and media frames, in order. */
export class Recorder {
  messages: ServerMessage[] = [];
  frames: MediaFrame[] = [];
  closed: Promise<CloseEvent>;
  #waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.addEventListener("close", resolve));
    ws.addEventListener("message", (event) => {
      if (typeof event.data === "string") {
        const message = decodeServer(event.data);
        if (message.type === "ping") ws.send(encodeClient({ type: "pong", t: message.t }));
        this.messages.push(message);
      } else {
        // Copy: decodeMedia returns a view into the event's buffer.
        const frame = decodeMedia(new Uint8Array(event.data as ArrayBuffer));
        this.frames.push({ ...frame, payload: frame.payload.slice() } as MediaFrame);
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Resolves once `predicate` holds, or rejects after `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Media frames of one track, from its latest init on, as one byte stream. */
  trackBytes(track: string): Uint8Array {
    const frames = this.frames.filter((f) => f.track === track);
    let start = -1;
    frames.forEach((f, i) => f.kind === "init" && (start = i));
    return concat(frames.slice(Math.max(start, 0)).map((f) => f.payload));
  }

  close(): Promise<CloseEvent> {
    this.ws.close();
    return this.closed;
  }
}

/** A viewer socket that has said hello. */
export function watch(
  origin: string,
  room: string,
  name?: string,
  tracks?: string[],
): Promise<Recorder> {
  return viewerSocket(origin, room, "", {
    ...(name === undefined ? {} : { name }),
    ...(tracks ? { tracks } : {}),
  });
}

/**
 * A viewer's media lane (docs/protocol.md "Lanes"): a socket whose hello
 * names the main connection's `welcome.lane` token. `?lane` in the URL lets
 * it upgrade into a full room.
 */
export function lane(
  origin: string,
  room: string,
  token: string,
  tracks?: string[],
): Promise<Recorder> {
  return viewerSocket(origin, room, "?lane", { lane: token, ...(tracks ? { tracks } : {}) });
}

async function viewerSocket(
  origin: string,
  room: string,
  query: string,
  fields: { name?: string; tracks?: string[]; lane?: string },
): Promise<Recorder> {
  const ws = await open(`${origin.replace(/^http/, "ws")}/api/rooms/${room}/watch${query}`);
  const recorder = new Recorder(ws);
  ws.send(encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "viewer", room, ...fields }));
  return recorder;
}

/** A publisher socket that has said hello with the key. */
export async function publish(origin: string, room: string, key: string): Promise<Recorder> {
  const ws = await open(`${origin.replace(/^http/, "ws")}/api/rooms/${room}/publish`);
  const recorder = new Recorder(ws);
  ws.send(encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "publisher", room, key }));
  return recorder;
}

/** Sends `track-start` then the fixture's chunks; `speed` 1 keeps the recorded pacing. */
export async function replay(
  publisher: Recorder,
  track: string,
  fixture: Pick<Fixture, "mime" | "chunks">,
  options: {
    speed?: number;
    onChunk?: (index: number) => void | Promise<void>;
    /** Sent in `track-start`: the presenter's clock at media time 0. */
    clockMs?: number;
  } = {},
): Promise<void> {
  const speed = options.speed ?? 1;
  const { clockMs } = options;
  publisher.ws.send(
    encodeClient({
      type: "track-start",
      track,
      mime: fixture.mime,
      ...(clockMs === undefined ? {} : { clockMs }),
    }),
  );
  await sendChunks(publisher, track, fixture.chunks, speed, options.onChunk);
}

/** Sends `chunks` of a started track, paced by their `atMs` at `speed`× (`Infinity`: at once). */
export async function sendChunks(
  publisher: Recorder,
  track: string,
  chunks: readonly { bytes: Uint8Array; atMs: number }[],
  speed = 1,
  onChunk?: (index: number) => void | Promise<void>,
): Promise<void> {
  const began = performance.now();
  for (const [i, chunk] of chunks.entries()) {
    const due = began + chunk.atMs / speed;
    const wait = due - performance.now();
    if (Number.isFinite(speed) && wait > 0) await new Promise((r) => setTimeout(r, wait));
    publisher.ws.send(
      encodeMedia({ kind: "chunk", track, timestampMs: chunk.atMs, payload: chunk.bytes }),
    );
    await onChunk?.(i);
  }
}

/** Creates a room over HTTP. */
export async function createRoom(
  origin: string,
  title = "Test room",
): Promise<{ id: string; key: string }> {
  const res = await fetch(`${origin}/api/rooms`, {
    method: "POST",
    body: JSON.stringify({ title }),
  });
  if (res.status !== 201) throw new Error(`POST /api/rooms: ${res.status} ${await res.text()}`);
  return await res.json();
}

/** What a raw WebSocket handshake got back (see {@linkcode tryUpgrade}). */
export interface UpgradeAnswer {
  status: number;
  headers: Headers;
  /** The JSON body of a refusal, or null (a 101 has none). */
  body: { error?: string; code?: string } | null;
  /** The open TCP connection, for a 101; closed otherwise. */
  conn: Deno.TcpConn | null;
}

/**
 * Sends a WebSocket handshake by hand, so a test can set any header (Origin,
 * X-Forwarded-For) and read a refusal's HTTP status and JSON body, which a
 * browser-style WebSocket hides. Close `conn` after a 101.
 */
export async function tryUpgrade(
  origin: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<UpgradeAnswer> {
  const url = new URL(path, origin);
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  const lines = [
    `GET ${url.pathname} HTTP/1.1`,
    `Host: ${url.host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version: 13",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n"));
  let text = "";
  const buf = new Uint8Array(4096);
  const decoder = new TextDecoder();
  // Read the head, then as much body as Content-Length says.
  while (true) {
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) {
      const length = Number(text.slice(0, end).match(/\r\ncontent-length: *(\d+)/i)?.[1] ?? 0);
      if (text.length - end - 4 >= length) break;
    }
    const n = await conn.read(buf);
    if (n === null) break;
    text += decoder.decode(buf.subarray(0, n), { stream: true });
  }
  const [head, rest = ""] = text.split("\r\n\r\n");
  const [statusLine, ...headerLines] = head.split("\r\n");
  const status = Number(statusLine.split(" ")[1]);
  const answerHeaders = new Headers();
  for (const line of headerLines) {
    const i = line.indexOf(":");
    answerHeaders.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  const body = rest.trim() ? JSON.parse(rest) : null;
  if (status === 101) return { status, headers: answerHeaders, body, conn };
  conn.close();
  return { status, headers: answerHeaders, body, conn: null };
}

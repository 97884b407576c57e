/**
 * What the fuzzer asserts for one input, per target:
 * - parsers: only MediaError escapes a demuxer; every init it emits has a
 *   MIME that is safe in a header and fits the init frame; timestamps are
 *   finite; coalesce() takes whatever it emits.
 * - protocol: only ProtocolError escapes the decoders, and what decodes
 *   survives an encode/decode round trip.
 * - server: an in-process server takes the input through PUT or a publisher
 *   WebSocket; no response is a 500, no connection closes with 1011, every
 *   message a viewer gets decodes, a live GET answers below 500 with a clean
 *   Content-Type, media memory stays within --max-memory-mb, and nothing is
 *   logged as an unhandled error.
 * A violation throws a plain Error that names it (fast-check then shrinks).
 */
import { deepEqual } from "node:assert/strict";
import { ProtocolError } from "../lib/errors.ts";
import { coalesce } from "../lib/media/coalesce.ts";
import { createDemuxer } from "../lib/media/detect.ts";
import { isMediaMime, MAX_MIME_BYTES } from "../lib/media/mime.ts";
import { MediaError, type Segment } from "../lib/media/segment.ts";
import {
  decodeClient,
  decodeMedia,
  decodeServer,
  encodeClient,
  encodeMedia,
  encodeServer,
  PROTOCOL_VERSION,
} from "../lib/protocol.ts";
import { startTestServer, type TestServer } from "../tests/server.ts";
import { cut } from "./inputs.ts";

/** Element/box cap for fuzzing: small, so a forged size cannot make a run slow. */
export const FUZZ_MAX_ELEMENT_BYTES = 256 * 1024;

function checkSegments(segments: Segment[]): void {
  for (const s of segments) {
    if (s.type === "init") {
      if (!isMediaMime(s.mime)) throw new Error(`init MIME not safe: ${JSON.stringify(s.mime)}`);
      if (new TextEncoder().encode(s.mime).length > MAX_MIME_BYTES) throw new Error("MIME > 255");
      encodeMedia({ kind: "init", track: "camera", mime: s.mime, payload: s.bytes });
    } else if (!Number.isFinite(s.timestampMs)) {
      throw new Error(`timestamp ${s.timestampMs}`);
    }
  }
  coalesce(segments);
}

/** Feeds `bytes` cut by `sizes` to a sniffing demuxer, then ends it. */
export function fuzzParser(bytes: Uint8Array, sizes: readonly number[]): void {
  const demuxer = createDemuxer({ maxElementBytes: FUZZ_MAX_ELEMENT_BYTES });
  try {
    for (const chunk of cut(bytes, sizes)) checkSegments(demuxer.push(chunk));
    checkSegments(demuxer.end());
  } catch (err) {
    if (!(err instanceof MediaError)) throw err;
  }
}

function onlyProtocolErrors<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (err) {
    if (err instanceof ProtocolError) return undefined;
    throw err;
  }
}

/** Runs every decoder over a text frame and a binary frame. */
export function fuzzProtocol(text: string, binary: Uint8Array): void {
  const client = onlyProtocolErrors(() => decodeClient(text));
  if (client) deepEqual(decodeClient(encodeClient(client)), client);
  const server = onlyProtocolErrors(() => decodeServer(text));
  if (server) deepEqual(decodeServer(encodeServer(server)), server);
  const media = onlyProtocolErrors(() => decodeMedia(binary));
  if (media && media.kind !== "init") {
    const again = decodeMedia(encodeMedia(media));
    deepEqual({ ...again, payload: [...again.payload] }, { ...media, payload: [...media.payload] });
  }
}

const MiB = 1024 * 1024;
const LIVE_STATUSES = new Set([200, 404, 415, 503]);

/** A viewer socket that checks every frame it gets. */
class CheckingViewer {
  ws!: WebSocket;
  problems: string[] = [];
  frames = 0;

  constructor(readonly origin: string, readonly room: string) {}

  async open(): Promise<void> {
    const ws = new WebSocket(`${this.origin.replace(/^http/, "ws")}/api/rooms/${this.room}/watch`);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error("viewer could not connect"));
    });
    ws.onmessage = (e) => {
      try {
        if (typeof e.data === "string") {
          const m = decodeServer(e.data);
          if (m.type === "ping") ws.send(encodeClient({ type: "pong", t: m.t }));
        } else {
          const frame = decodeMedia(new Uint8Array(e.data as ArrayBuffer));
          if (frame.kind === "init" && !isMediaMime(frame.mime)) {
            this.problems.push(`viewer got init MIME ${JSON.stringify(frame.mime)}`);
          }
          this.frames++;
        }
      } catch (err) {
        this.problems.push(`viewer could not decode a message: ${(err as Error).message}`);
      }
    };
    ws.onclose = (e) => {
      if (e.code === 1011) this.problems.push(`viewer closed 1011: ${e.reason}`);
    };
    ws.send(encodeClient({ type: "hello", v: PROTOCOL_VERSION, role: "viewer", room: this.room }));
  }

  get open_(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }
}

/** A publisher socket: track-start, chunks, then a ping whose pong says all was handled. */
class FuzzPublisher {
  ws!: WebSocket;
  problems: string[] = [];
  #pongs: Array<() => void> = [];

  constructor(readonly origin: string, readonly room: string, readonly key: string) {}

  async open(): Promise<void> {
    const ws = new WebSocket(
      `${this.origin.replace(/^http/, "ws")}/api/rooms/${this.room}/publish`,
    );
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error("publisher could not connect"));
    });
    ws.onmessage = (e) => {
      if (typeof e.data !== "string") return;
      const m = decodeServer(e.data);
      if (m.type === "pong") this.#pongs.shift()?.();
      if (m.type === "error" && m.code === "internal") {
        this.problems.push(`publisher: ${m.message}`);
      }
    };
    ws.onclose = (e) => {
      if (e.code === 1011) this.problems.push(`publisher closed 1011: ${e.reason}`);
      for (const wake of this.#pongs.splice(0)) wake();
    };
    ws.send(
      encodeClient({
        type: "hello",
        v: PROTOCOL_VERSION,
        role: "publisher",
        room: this.room,
        key: this.key,
      }),
    );
  }

  /** Sends one stream; resolves when the server has handled it (or the socket closed). */
  async send(chunks: Uint8Array[]): Promise<void> {
    if (this.ws.readyState !== WebSocket.OPEN) await this.open();
    this.ws.send(encodeClient({ type: "track-start", track: "live", mime: "video/webm" }));
    for (const payload of chunks) {
      if (payload.length === 0) continue;
      this.ws.send(encodeMedia({ kind: "chunk", track: "live", timestampMs: 0, payload }));
    }
    const handled = new Promise<void>((resolve) => this.#pongs.push(resolve));
    this.ws.send(encodeClient({ type: "ping", t: 1 }));
    await handled;
  }
}

/** The full server path: ingest (PUT and WebSocket) → hub → WebSocket viewer and HTTP live. */
export class ServerTarget {
  #server!: TestServer;
  #viewer!: CheckingViewer;
  #publisher!: FuzzPublisher;
  #room!: { id: string; key: string };
  readonly memoryMb = 64;
  inputs = 0;

  async start(): Promise<void> {
    this.#server = await startTestServer({
      maxMemoryMb: this.memoryMb,
      maxElementBytes: FUZZ_MAX_ELEMENT_BYTES,
    });
    const res = await fetch(`${this.#server.origin}/api/rooms`, { method: "POST", body: "{}" });
    this.#room = await res.json();
    this.#viewer = new CheckingViewer(this.#server.origin, this.#room.id);
    await this.#viewer.open();
    this.#publisher = new FuzzPublisher(this.#server.origin, this.#room.id, this.#room.key);
    await this.#publisher.open();
  }

  get server(): TestServer {
    return this.#server;
  }

  /** One input: PUT into track "camera" or WebSocket into track "live", then a live GET of it. */
  async run(bytes: Uint8Array, sizes: readonly number[], viaWebSocket: boolean): Promise<void> {
    this.inputs++;
    const { origin } = this.#server;
    const { id, key } = this.#room;
    const track = viaWebSocket ? "live" : "camera";
    if (viaWebSocket) {
      await this.#publisher.send(cut(bytes, sizes));
    } else {
      const res = await fetch(`${origin}/ingest/${id}/camera`, {
        method: "PUT",
        body: bytes as Uint8Array<ArrayBuffer>,
        headers: { authorization: `Bearer ${key}` },
      });
      const body = await res.text();
      if (![200, 400, 413, 415, 503].includes(res.status)) {
        throw new Error(`PUT answered ${res.status}: ${body}`);
      }
    }
    const live = await fetch(`${origin}/s/${id}/${track}/live`);
    await live.body?.cancel();
    if (!LIVE_STATUSES.has(live.status)) throw new Error(`live GET answered ${live.status}`);
    if (live.status === 200 && !isMediaMime(live.headers.get("content-type") ?? "")) {
      throw new Error(`live GET Content-Type ${live.headers.get("content-type")}`);
    }
    this.check();
    if (!this.#viewer.open_) await this.#viewer.open();
  }

  /** Throws the first problem seen so far. */
  check(): void {
    const problems = [...this.#viewer.problems, ...this.#publisher.problems];
    const logged = this.#server.logs.filter((l) => /unhandled error|request failed/.test(l));
    if (problems.length || logged.length) throw new Error([...problems, ...logged].join("\n"));
    const used = this.#server.state.hub.memory.used;
    if (used > this.memoryMb * MiB) throw new Error(`media memory ${used} over the cap`);
  }

  /** Figures for the report. */
  figures(): { inputs: number; viewerFrames: number; mediaMemoryBytes: number } {
    return {
      inputs: this.inputs,
      viewerFrames: this.#viewer.frames,
      mediaMemoryBytes: this.#server.state.hub.memory.used,
    };
  }

  async stop(): Promise<void> {
    this.#viewer.ws.close();
    this.#publisher.ws.close();
    await this.#server.close();
  }
}

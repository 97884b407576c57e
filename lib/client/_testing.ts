/**
 * Test double for the browser WebSocket behind lib/client/socket.ts: records
 * what is sent, lets a test open, feed and close it by hand.
 */
import { decodeMedia } from "../protocol.ts";
import type { SocketLike } from "./socket.ts";

export class FakeSocket implements SocketLike {
  binaryType: BinaryType = "blob";
  bufferedAmount = 0;
  onopen: SocketLike["onopen"] = null;
  onmessage: SocketLike["onmessage"] = null;
  onclose: SocketLike["onclose"] = null;
  onerror: SocketLike["onerror"] = null;
  /** Every frame sent, as given. */
  frames: (string | ArrayBufferView<ArrayBuffer>)[] = [];
  closed: number | undefined;

  constructor(public url = "") {}

  /** What was sent: text frames as they are, media frames as "kind track payload-bytes". */
  get sent(): string[] {
    return this.frames.map((data) => {
      if (typeof data === "string") return data;
      const f = decodeMedia(data as Uint8Array);
      return `${f.kind} ${f.track} ${[...f.payload].join(",")}`;
    });
  }

  send(data: string | ArrayBufferView<ArrayBuffer>) {
    this.frames.push(data);
  }

  close(code?: number) {
    this.closed = code;
  }

  open() {
    this.onopen?.(new Event("open"));
  }

  receive(data: string | Uint8Array | ArrayBuffer) {
    const d = data instanceof Uint8Array ? data.slice().buffer : data;
    this.onmessage?.(new MessageEvent("message", { data: d }));
  }

  remoteClose(code: number) {
    this.onclose?.({ code, reason: "" } as CloseEvent);
  }
}

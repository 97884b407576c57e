/**
 * A presenter's WebSocket: after hello with the room key it holds a
 * Publisher; each `track-start` gives that track a fresh demuxer, each binary
 * chunk is parsed and its segments pushed into the hub. Bad media ends only
 * that track's stream: the presenter is told why and the room keeps serving
 * its last good data until the next `track-start`.
 *
 * The key at hello makes this connection the presenter of the room's chat:
 * it chats as "Presenter" and may delete messages and mute participants.
 */
import type { Hub } from "../hub/hub.ts";
import type { Publisher } from "../hub/publisher.ts";
import { ConflictError, ProtocolError, UnsupportedMediaError, UserError } from "../errors.ts";
import { ClockDrift } from "../media/clock_drift.ts";
import { coalesce } from "../media/coalesce.ts";
import { createDemuxer } from "../media/detect.ts";
import { type Demuxer, MediaError } from "../media/segment.ts";
import { type ClientMessage, decodeMedia } from "../protocol.ts";
import { PRESENTER_NAME } from "../chat/text.ts";
import { type Hello, Session, type SessionDeps } from "./session.ts";

export interface PublisherDeps extends SessionDeps {
  hub: Hub;
  roomId: string;
  maxElementBytes: number;
}

export class PublisherSession extends Session {
  #deps: PublisherDeps;
  #publisher: Publisher | null = null;
  /** Per track: its parser, or null after bad media until the next track-start. */
  #demuxers = new Map<string, Demuxer | null>();
  /** Per track: the presenter's clock at media time 0 of its current stream (track-start). */
  #clocks = new Map<string, number>();
  /** Per sound-only track with a clock: how far its media time ran slow (clock_drift.ts). */
  #drifts = new Map<string, ClockDrift>();

  constructor(deps: PublisherDeps) {
    super("publisher", deps);
    this.#deps = deps;
  }

  protected greet(hello: Hello): void {
    if (hello.room !== this.#deps.roomId) {
      throw new ProtocolError("hello names another room than the URL");
    }
    const room = this.#deps.hub.get(this.#deps.roomId);
    this.#publisher = room.publish(hello.key ?? "", (code, reason) => this.hubClosed(code, reason));
    this.welcome(room, PRESENTER_NAME);
  }

  protected handle(message: ClientMessage): void {
    const publisher = this.#publisher!;
    switch (message.type) {
      case "track-start":
        // A taken track is refused with an `error` and the connection stays
        // (docs/protocol.md): the presenter's other tracks go on.
        try {
          publisher.start(message.track, message.mime);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          this.#demuxers.set(message.track, null); // its chunks are dropped, not a protocol error
          return this.sendError(err);
        }
        if (message.clockMs === undefined) this.#clocks.delete(message.track);
        else this.#clocks.set(message.track, message.clockMs);
        // Sound is stamped by counting samples, pictures by capture time: only sound drifts.
        if (message.clockMs !== undefined && /^audio\//.test(message.mime)) {
          this.#drifts.set(message.track, new ClockDrift());
        } else this.#drifts.delete(message.track);
        this.#demuxers.set(
          message.track,
          createDemuxer({
            maxElementBytes: this.#deps.maxElementBytes,
            memory: publisher.parserMemory(message.track),
          }),
        );
        return;
      case "track-stop":
        publisher.stop(message.track);
        this.#demuxers.delete(message.track);
        this.#drifts.delete(message.track);
        return;
      case "chat-delete":
        return this.chatSafely((chat) => chat.delete(message.id));
      case "chat-mute":
        return this.chatSafely((chat) => chat.mute(message.participant, this));
      case "ink":
        // A refusal (a slide outside the deck) is the presenter's race with a deck change.
        try {
          return this.presentation?.ink(message);
        } catch (err) {
          if (!(err instanceof UserError)) throw err;
          return this.sendError(err);
        }
      default:
        this.sendError(new UserError(`"${message.type}" is not supported on this connection`));
    }
  }

  protected handleBinary(bytes: Uint8Array): void {
    const frame = decodeMedia(bytes);
    if (frame.kind !== "chunk") throw new ProtocolError("publishers send raw chunks (kind 3) only");
    const demuxer = this.#demuxers.get(frame.track);
    if (demuxer === undefined) {
      throw new ProtocolError(`send track-start for "${frame.track}" before its media`);
    }
    if (demuxer === null) return; // broken stream: dropped until the next track-start
    let segments;
    try {
      segments = demuxer.push(frame.payload);
    } catch (err) {
      if (!(err instanceof MediaError)) throw err;
      this.#demuxers.set(frame.track, null);
      this.log.warn(`room ${this.#deps.roomId} track ${frame.track}: bad media: ${err.message}`);
      this.sendError(
        new UnsupportedMediaError(
          `track "${frame.track}": ${err.message}; restart the recorder to send a new stream`,
        ),
      );
      return;
    }
    const clockMs = this.#clocks.get(frame.track);
    let newest = -Infinity;
    for (const segment of coalesce(segments)) {
      if (segment.type === "media") newest = Math.max(newest, segment.timestampMs);
      // The init carries the stream's place on the presenter's clock to every viewer.
      const stamped = segment.type === "init" && clockMs !== undefined
        ? { ...segment, clockMs }
        : segment;
      this.#publisher!.push(frame.track, stamped);
    }
    const drift = this.#drifts.get(frame.track);
    if (drift && clockMs !== undefined && frame.timestampMs > 0 && newest > -Infinity) {
      if (drift.note(frame.timestampMs, clockMs, newest)) {
        this.#publisher!.shiftClock(frame.track, drift.shiftMs);
      }
    }
  }

  protected release(): void {
    this.#publisher?.release();
    this.#demuxers.clear();
  }
}

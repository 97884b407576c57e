/**
 * One ChatRoom per hub Room, created on first use. Keyed by the Room object
 * itself (a WeakMap), so a room's chat goes with the room: once the hub has
 * dropped an ended room and its last connection has closed, nothing keeps
 * the chat alive, and a later room can never inherit it.
 */
import type { RoomEvent } from "../hub/events.ts";
import { ChatRoom, type ChatRoomOptions } from "./chat_room.ts";

export interface ChatRoomsOptions extends ChatRoomOptions {
  /** The event stream a room's chat emits into (e.g. `(room) => room.events`). */
  eventsOf?: (room: object) => { emit(event: RoomEvent): void } | undefined;
}

export class ChatRooms {
  #rooms = new WeakMap<object, ChatRoom>();

  constructor(readonly options: ChatRoomsOptions = {}) {}

  /** The chat of `room`, created on first use. */
  for(room: object): ChatRoom {
    let chat = this.#rooms.get(room);
    if (!chat) {
      const { eventsOf, ...options } = this.options;
      chat = new ChatRoom({ ...options, events: eventsOf?.(room) ?? options.events });
      this.#rooms.set(room, chat);
    }
    return chat;
  }

  /** The chat of `room` if anyone used it. */
  find(room: object): ChatRoom | undefined {
    return this.#rooms.get(room);
  }

  /** Forgets a room's chat at once (the room ended). */
  drop(room: object): void {
    this.#rooms.delete(room);
  }
}

/**
 * One ChatRoom per hub Room, created on first use. Keyed by the Room object
 * itself (a WeakMap), so a room's chat goes with the room: once the hub has
 * dropped an ended room and its last connection has closed, nothing keeps
 * the chat alive, and a later room can never inherit it.
 */
import { ChatRoom, type ChatRoomOptions } from "./chat_room.ts";

export class ChatRooms {
  #rooms = new WeakMap<object, ChatRoom>();

  constructor(readonly options: ChatRoomOptions = {}) {}

  /** The chat of `room`, created on first use. */
  for(room: object): ChatRoom {
    let chat = this.#rooms.get(room);
    if (!chat) this.#rooms.set(room, chat = new ChatRoom(this.options));
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

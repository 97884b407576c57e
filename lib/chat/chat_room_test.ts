import { deepEqual, equal, throws } from "node:assert/strict";
import { ForbiddenError, UserError } from "../errors.ts";
import { decodeServer, type ServerMessage } from "../protocol.ts";
import { type ChatMember, ChatRoom } from "./chat_room.ts";
import { ChatRooms } from "./registry.ts";

class FakeMember implements ChatMember {
  received: ServerMessage[] = [];
  constructor(readonly participant: string, readonly name: string) {}
  sendText(text: string): void {
    this.received.push(decodeServer(text));
  }
  of<T extends ServerMessage["type"]>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.received.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[];
  }
}

const room = () => new ChatRoom({ wallClock: () => 1_700_000_000_000 });

Deno.test("ChatRoom.post() reaches every member, the author included", () => {
  const chat = room();
  const ann = new FakeMember("p1", "Ann");
  const bob = new FakeMember("p2", "Bob");
  chat.join(ann);
  chat.join(bob);
  const entry = chat.post(ann, "  hello  ");
  deepEqual(entry, { id: "1", from: "p1", name: "Ann", text: "hello", at: 1_700_000_000_000 });
  deepEqual(ann.of("chat"), [{ type: "chat", ...entry }]);
  deepEqual(bob.of("chat"), [{ type: "chat", ...entry }]);
});

Deno.test("ChatRoom.join() sends the history, so a late joiner sees earlier messages", () => {
  const chat = room();
  const ann = new FakeMember("p1", "Ann");
  chat.join(ann);
  chat.post(ann, "one");
  chat.post(ann, "two");
  const late = new FakeMember("p3", "Cy");
  chat.join(late);
  deepEqual(late.of("chat-history")[0].messages.map((m) => m.text), ["one", "two"]);
  equal(ann.of("chat-history")[0].messages.length, 0);
});

Deno.test("ChatRoom history holds the last 100 messages", () => {
  const chat = room();
  const ann = new FakeMember("p1", "Ann");
  chat.join(ann);
  for (let i = 1; i <= 120; i++) chat.post(ann, `m${i}`);
  const late = new FakeMember("p2", "Bob");
  chat.join(late);
  const texts = late.of("chat-history")[0].messages.map((m) => m.text);
  equal(texts.length, 100);
  equal(texts[0], "m21");
});

Deno.test("ChatRoom.post() refuses empty and over-long text with a UserError", () => {
  const chat = room();
  const ann = new FakeMember("p1", "Ann");
  chat.join(ann);
  throws(() => chat.post(ann, " "), UserError);
  throws(() => chat.post(ann, "x".repeat(501)), UserError);
  equal(ann.of("chat").length, 0);
});

Deno.test("ChatRoom.delete() removes a message for everyone and from the history", () => {
  const chat = room();
  const presenter = new FakeMember("pp", "Presenter");
  const ann = new FakeMember("p1", "Ann");
  chat.join(presenter);
  chat.join(ann);
  const a = chat.post(ann, "spam");
  chat.post(ann, "fine");
  chat.delete(a.id);
  chat.delete(a.id); // twice: no second broadcast
  deepEqual(ann.of("chat-deleted"), [{ type: "chat-deleted", id: a.id }]);
  deepEqual(presenter.of("chat-deleted"), [{ type: "chat-deleted", id: a.id }]);
  deepEqual(chat.history().map((m) => m.text), ["fine"]);
  throws(() => chat.delete("99"), UserError);
  throws(() => chat.delete("abc"), UserError);
});

Deno.test("ChatRoom.mute() tells the participant and refuses its messages from then on", () => {
  const chat = room();
  const presenter = new FakeMember("pp", "Presenter");
  const ann = new FakeMember("p1", "Ann");
  const bob = new FakeMember("p2", "Bob");
  [presenter, ann, bob].forEach((m) => chat.join(m));
  chat.mute("p1", presenter);
  equal(ann.of("muted").length, 1);
  equal(bob.of("muted").length, 0);
  throws(() => chat.post(ann, "hi"), ForbiddenError);
  chat.post(bob, "still here");
  // Ann reconnects (a new participant id) under the same name: still muted, and told at join.
  chat.leave(ann);
  const again = new FakeMember("p9", "Ann");
  chat.join(again);
  equal(again.of("muted").length, 1);
  throws(() => chat.post(again, "hi"), ForbiddenError);
});

Deno.test("ChatRoom.mute() refuses unknown participants and self-muting", () => {
  const chat = room();
  const presenter = new FakeMember("pp", "Presenter");
  chat.join(presenter);
  throws(() => chat.mute("nobody", presenter), UserError);
  throws(() => chat.mute("pp", presenter), UserError);
});

Deno.test("ChatRoom.mute() works for an author who already left", () => {
  const chat = room();
  const presenter = new FakeMember("pp", "Presenter");
  const ann = new FakeMember("p1", "Ann");
  chat.join(presenter);
  chat.join(ann);
  chat.post(ann, "bye");
  chat.leave(ann);
  chat.mute("p1", presenter);
  const back = new FakeMember("p5", "ann");
  chat.join(back);
  throws(() => chat.post(back, "hi"), ForbiddenError);
});

Deno.test("ChatRoom counts accepted messages through onMessage", () => {
  let count = 0;
  const chat = new ChatRoom({ onMessage: () => count++ });
  const ann = new FakeMember("p1", "Ann");
  chat.join(ann);
  chat.post(ann, "a");
  throws(() => chat.post(ann, ""), UserError);
  equal(count, 1);
});

Deno.test("ChatRooms gives one chat per room object and forgets dropped rooms", () => {
  const rooms = new ChatRooms();
  const a = {}, b = {};
  equal(rooms.for(a), rooms.for(a));
  equal(rooms.for(a) === rooms.for(b), false);
  rooms.drop(a);
  equal(rooms.find(a), undefined);
});

Deno.test("ChatRoom.post() asks admit() only for an acceptable message; its refusal sends nothing", () => {
  const chat = room();
  const ann = new FakeMember("p1", "Ann");
  chat.join(ann);
  let asked = 0;
  throws(() => chat.post(ann, "", () => asked++), UserError);
  equal(asked, 0);
  throws(() =>
    chat.post(ann, "hi", () => {
      throw new Error("limit");
    }), /limit/);
  equal(ann.of("chat").length, 0);
  equal(chat.history().length, 0);
});

Deno.test("ChatRoom posts become `chat` events and deletions `chat-deleted`", () => {
  const events: Array<Record<string, unknown>> = [];
  const chat = new ChatRoom({ wallClock: () => 5, events: { emit: (e) => events.push(e) } });
  const member = { participant: "p1", name: "Ada", sendText() {} };
  const entry = chat.post(member, " hello ");
  chat.delete(entry.id);
  deepEqual(events, [
    { type: "chat", id: entry.id, from: "p1", name: "Ada", text: "hello", at: 5 },
    { type: "chat-deleted", at: 5, id: entry.id },
  ]);
});

/**
 * Chat over the real WebSockets (docs/protocol.md): messages reach every
 * connection of the room, late joiners get the history, the presenter deletes
 * and mutes, and refusals (rate limit, empty, too long, muted, not the
 * presenter) come back as `error` messages on a connection that stays open.
 */
import assert from "node:assert/strict";
import type { ChatEntry, ServerMessage } from "../lib/protocol.ts";
import { startTestServer } from "./server.ts";
import { createRoom, publish, type Recorder, watch } from "./ws_clients.ts";

const of = <T extends ServerMessage["type"]>(r: Recorder, type: T) =>
  r.messages.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[];

function send(r: Recorder, message: Record<string, unknown>): void {
  r.ws.send(JSON.stringify(message));
}

async function joined(r: Recorder): Promise<Recorder> {
  await r.until(() => of(r, "chat-history").length > 0, 5000, "chat-history");
  return r;
}

async function nextError(r: Recorder, code: string): Promise<string> {
  const before = of(r, "error").length;
  await r.until(() => of(r, "error").length > before, 5000, `an error ${code}`);
  const error = of(r, "error").at(-1)!;
  assert.equal(error.code, code, error.message);
  return error.message;
}

Deno.test("chat reaches the whole room with names; late joiners get the history", async () => {
  const server = await startTestServer();
  try {
    const { id, key } = await createRoom(server.origin);
    const presenter = await joined(await publish(server.origin, id, key));
    const ada = await joined(await watch(server.origin, id, "  Ada  "));
    const guest = await joined(await watch(server.origin, id));

    const welcome = (r: Recorder) => of(r, "welcome")[0];
    assert.equal(welcome(presenter).name, "Presenter");
    assert.equal(welcome(ada).name, "Ada");
    assert.match(welcome(guest).name!, /^Guest-[0-9a-f]{4}$/);
    assert.deepEqual(of(ada, "chat-history")[0].messages, []);

    send(ada, { type: "chat", text: "<b>hi</b> & welcome" });
    send(presenter, { type: "chat", text: "Hello all" });
    for (const r of [presenter, ada, guest]) {
      await r.until(() => of(r, "chat").length === 2, 5000, "both messages");
    }
    const [first, second] = of(guest, "chat");
    assert.equal(first.name, "Ada");
    assert.equal(first.from, welcome(ada).participant);
    assert.equal(first.text, "<b>hi</b> & welcome", "markup is stored and sent as typed");
    assert.equal(second.name, "Presenter");
    assert.ok(Math.abs(first.at - Date.now()) < 60_000, "at is Unix ms");

    const late = await joined(await watch(server.origin, id, "Late"));
    const history = of(late, "chat-history")[0].messages;
    assert.deepEqual(history.map((m: ChatEntry) => m.text), ["<b>hi</b> & welcome", "Hello all"]);

    // A viewer may not take the presenter's name.
    const fake = await joined(await watch(server.origin, id, "presenter"));
    assert.match(welcome(fake).name!, /^Guest-/);
    assert.match(of(fake, "error")[0].message, /reserved/);

    for (const r of [presenter, ada, guest, late, fake]) await r.close();
  } finally {
    await server.close();
  }
});

Deno.test("chat refusals keep the connection: empty, too long, too fast", async () => {
  const server = await startTestServer();
  try {
    const { id } = await createRoom(server.origin);
    const viewer = await joined(await watch(server.origin, id, "Ann"));
    send(viewer, { type: "chat", text: "   " });
    assert.match(await nextError(viewer, "bad-request"), /cannot be empty/);
    send(viewer, { type: "chat", text: "x".repeat(501) });
    assert.match(await nextError(viewer, "bad-request"), /at most 500 characters/);
    send(viewer, { type: "chat", text: "x".repeat(500) });
    await viewer.until(() => of(viewer, "chat").length === 1);

    for (let i = 0; i < 4; i++) send(viewer, { type: "chat", text: `quick ${i}` });
    await viewer.until(() => of(viewer, "chat").length === 5);
    send(viewer, { type: "chat", text: "one too many" });
    assert.match(await nextError(viewer, "rate-limited"), /at most 5 messages per 5 s/);
    assert.equal(of(viewer, "chat").length, 5);
    assert.equal(viewer.ws.readyState, WebSocket.OPEN, "still connected");

    // The limit is per connection: another viewer chats freely.
    const other = await joined(await watch(server.origin, id, "Bo"));
    send(other, { type: "chat", text: "my turn" });
    await other.until(() => of(other, "chat").some((m) => m.text === "my turn"));
    await viewer.close();
    await other.close();
  } finally {
    await server.close();
  }
});

Deno.test("the presenter deletes a message for everyone and mutes a participant", async () => {
  const server = await startTestServer();
  try {
    const { id, key } = await createRoom(server.origin);
    const presenter = await joined(await publish(server.origin, id, key));
    const ann = await joined(await watch(server.origin, id, "Ann"));
    const bob = await joined(await watch(server.origin, id, "Bob"));

    send(ann, { type: "chat", text: "spam" });
    send(bob, { type: "chat", text: "question" });
    await presenter.until(() => of(presenter, "chat").length === 2);
    const spam = of(presenter, "chat").find((m) => m.text === "spam")!;

    // Viewers cannot moderate.
    send(bob, { type: "chat-delete", id: spam.id });
    assert.match(await nextError(bob, "forbidden"), /only the presenter/);
    send(bob, { type: "chat-mute", participant: spam.from });
    await nextError(bob, "forbidden");

    send(presenter, { type: "chat-delete", id: spam.id });
    for (const r of [presenter, ann, bob]) {
      await r.until(() => of(r, "chat-deleted").length === 1, 5000, "chat-deleted");
      assert.equal(of(r, "chat-deleted")[0].id, spam.id);
    }
    const late = await joined(await watch(server.origin, id));
    assert.deepEqual(of(late, "chat-history")[0].messages.map((m) => m.text), ["question"]);
    send(presenter, { type: "chat-delete", id: "999" });
    assert.match(await nextError(presenter, "bad-request"), /no chat message/);

    send(presenter, { type: "chat-mute", participant: spam.from });
    await ann.until(() => of(ann, "muted").length === 1, 5000, "muted");
    assert.match(of(ann, "muted")[0].message, /muted you/);
    assert.equal(of(bob, "muted").length, 0);
    send(ann, { type: "chat", text: "let me talk" });
    assert.match(await nextError(ann, "forbidden"), /muted you/);
    send(bob, { type: "chat", text: "still here" });
    await presenter.until(() => of(presenter, "chat").some((m) => m.text === "still here"));
    assert.equal(of(presenter, "chat").some((m) => m.text === "let me talk"), false);

    // Reconnecting under the same name does not lift the mute.
    await ann.close();
    const again = await joined(await watch(server.origin, id, "Ann"));
    await again.until(() => of(again, "muted").length === 1, 5000, "muted at join");
    send(presenter, { type: "chat-mute", participant: welcomeOf(presenter) });
    assert.match(await nextError(presenter, "bad-request"), /cannot mute yourself/);

    for (const r of [presenter, bob, late, again]) await r.close();
  } finally {
    await server.close();
  }
});

function welcomeOf(r: Recorder): string {
  return of(r, "welcome")[0].participant;
}

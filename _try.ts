import { startTestServer } from "./tests/server.ts";
import { createRoom } from "./tests/ws_clients.ts";
import { publishTimecoded } from "./tests/timecoded_lesson.ts";
const server = await startTestServer();
const { id, key } = await createRoom(server.origin);
const a = publishTimecoded(server.origin, id, key, "camera", 6);
const b = publishTimecoded(server.origin, id, key, "whiteboard", 6);
console.log((await a.output()).code, (await b.output()).code);
await fetch(`${server.origin}/api/rooms/${id}`, {
  method: "DELETE",
  headers: { authorization: `Bearer ${key}` },
});
await new Promise((r) => setTimeout(r, 1500));
const dir = `${server.state.config.dataDir}/recordings`;
for (const e of Deno.readDirSync(dir)) {
  console.log(e.name, [...Deno.readDirSync(`${dir}/${e.name}`)].map((f) => f.name));
  console.log(Deno.readTextFileSync(`${dir}/${e.name}/meta.json`));
  console.log(Deno.readTextFileSync(`${dir}/${e.name}/events.jsonl`));
}
console.log(server.logs.join("\n"));
await server.close();

import { startTestServer } from "/work/wt/h3/tests/server.ts";
import { startNginx } from "/work/wt/h3/tests/nginx.ts";
import { PullTrack } from "/work/wt/h3/lib/client/pull_track.ts";
import { createRoom, loadFixture, publish, replay } from "/work/wt/h3/tests/ws_clients.ts";
const server = await startTestServer({ maxViewers: 1000 });
const nginx = await startNginx(`127.0.0.1:${server.port}`);
const fixture = await loadFixture("vp8-opus.webm");
const { id, key } = await createRoom(server.origin);
const pub = await publish(server.origin, id, key);
await pub.until(() => pub.messages.some((m) => m.type === "welcome"));
const sentAt: number[] = [];
const p = replay(pub, "camera", fixture, { onChunk: () => void sentAt.push(performance.now()) });
while (sentAt.length < 2) await new Promise((r) => setTimeout(r, 20));
const got = new Map<number, number[]>();
const status = new Map<string, number>();
const V = Number(Deno.args[0] ?? 50);
const tracks = Array.from({ length: V }, () => {
  const t = new PullTrack({
    base: `${(Deno.args[1] === "direct" ? server.origin : nginx.origin)}/s/${id}/camera`,
    fetch: async (u, i) => {
      const r = await fetch(u, i);
      const s = r.headers.get("x-cache-status") ?? "-";
      status.set(s, (status.get(s) ?? 0) + 1);
      return r;
    },
    retryMs: 200,
  });
  t.onMedia = (_b, _k, n) => {
    const l = got.get(n) ?? [];
    l.push(performance.now());
    got.set(n, l);
  };
  t.start();
  return t;
});
await p;
for (const t of tracks) t.stop();
for (const [n, l] of [...got].sort((a, b) => a[0] - b[0])) {
  l.sort((a, b) => a - b);
  console.log(
    n,
    l.length,
    "first",
    (l[0] - sentAt[0]) | 0,
    "spread p50",
    (l[l.length >> 1] - l[0]) | 0,
    "max",
    (l[l.length - 1] - l[0]) | 0,
  );
}
console.log(status);
await nginx.stop();
await server.close();

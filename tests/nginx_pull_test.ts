/**
 * Pull mode through a real nginx running the shipped deploy/nginx/chalkcast.conf:
 * 200 viewers pulling one live track cost the origin at most 2 requests per
 * piece (counted by the origin itself, chalkcast_segment_requests_total), and
 * every viewer gets the same bytes, a playable WebM from init + pieces.
 */
import assert from "node:assert/strict";
import { createDemuxer } from "../lib/media/detect.ts";
import { concat } from "../lib/media/bytes.ts";
import { PullTrack } from "../lib/client/pull_track.ts";
import { startTestServer } from "./server.ts";
import { startNginx } from "./nginx.ts";
import { createRoom, loadFixture, publish, replay } from "./ws_clients.ts";

const VIEWERS = 200;

/** The origin's pull-mode request counts by kind, read from its /metrics. */
async function originRequests(origin: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const counts: Record<string, number> = { index: 0, init: 0, piece: 0 };
  for (const m of text.matchAll(/^chalkcast_segment_requests_total\{kind="(\w+)"\} (\d+)$/gm)) {
    counts[m[1]] = Number(m[2]);
  }
  return counts;
}

Deno.test("200 viewers pulling through nginx cost the origin at most 2 requests per piece", async () => {
  const server = await startTestServer({ maxViewers: 1000 });
  const nginx = await startNginx(`127.0.0.1:${server.port}`);
  const fixture = await loadFixture("vp8-opus.webm");
  const tracks: PullTrack[] = [];
  let publishing: Promise<void> | null = null;
  try {
    // The cache answers with the origin's headers, plus its own status.
    const page = await fetch(`${nginx.origin}/api/health`);
    assert.equal(page.status, 200);
    await page.body?.cancel();

    const { id, key } = await createRoom(server.origin);
    const publisher = await publish(server.origin, id, key);
    await publisher.until(() => publisher.messages.some((m) => m.type === "welcome"));
    let sent = 0;
    // The 4 s recording at its recorded pace: ~34 chunks, one piece each.
    publishing = replay(publisher, "camera", fixture, { onChunk: () => void sent++ });
    const got: Uint8Array[][] = [];
    const mimes: string[] = [];
    /** Per viewer, the newest piece number it has; and every piece number any viewer got. */
    const newest: number[] = Array(VIEWERS).fill(-1);
    const distinct = new Set<number>();
    for (let i = 0; i < VIEWERS; i++) {
      const parts: Uint8Array[] = [];
      got.push(parts);
      const track = new PullTrack({
        base: `${nginx.origin}/s/${id}/camera`,
        fetch: (url, init) => fetch(url, init),
        retryMs: 200,
      });
      track.onInit = (mime, bytes) => {
        mimes[i] = mime;
        parts.length = 0;
        parts.push(bytes);
      };
      track.onMedia = (bytes, _key, n) => {
        parts.push(bytes);
        newest[i] = n;
        distinct.add(n);
      };
      tracks.push(track);
    }
    // Wait until the stream runs, then let everyone in at once (a lesson starting).
    while (sent < 3) await new Promise((r) => setTimeout(r, 20));
    const before = await originRequests(server.origin);
    const startedAt = Date.now();
    for (const t of tracks) t.start();
    // The whole recording goes out; then every viewer must reach its last piece.
    await publishing;
    // Read from the hub itself: a request here would count as an origin request.
    const lastPiece = () => server.state.hub.get(id).track("camera")!.nextSeq - 1;
    const deadline = Date.now() + 30_000;
    for (let last = lastPiece(); newest.some((n) => n !== last); last = lastPiece()) {
      assert.ok(Date.now() < deadline, `viewers stuck at pieces ${newest} (last ${last})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const t of tracks) t.stop();
    const after = await originRequests(server.origin);
    const seconds = (Date.now() - startedAt) / 1000;

    const pieceRequests = after.piece - before.piece;
    console.log(
      `origin: ${pieceRequests} piece, ${after.init - before.init} init, ${
        after.index - before.index
      } index requests for ${distinct.size} distinct pieces and ${VIEWERS} viewers`,
    );
    assert.ok(distinct.size >= 10, `only ${distinct.size} pieces went out`);
    assert.ok(
      pieceRequests <= 2 * distinct.size,
      `${pieceRequests} origin piece requests for ${distinct.size} pieces`,
    );
    assert.ok(after.init - before.init <= 2, "the init segment came from the origin once or twice");
    assert.ok(
      after.index - before.index <= 2 * Math.ceil(seconds),
      `${after.index - before.index} index requests in ${seconds} s: shared for a second`,
    );

    // Every viewer got the same, playable stream: a WebM the server's own parser accepts.
    assert.equal(new Set(mimes).size, 1);
    assert.match(mimes[0], /^video\/webm/);
    const bytes = concat(got[0]);
    const demuxer = createDemuxer();
    const segments = [...demuxer.push(bytes), ...demuxer.end()];
    assert.equal(segments[0].type, "init");
    assert.ok(segments.some((s) => s.type === "media" && s.keyframe));

    // An immutable piece is a cache hit the second time, with the origin's headers.
    const index = await (await fetch(`${nginx.origin}/s/${id}/camera/segments`)).json();
    const url = `${nginx.origin}${index.segments[0].url}`;
    await (await fetch(url)).body?.cancel();
    const hit = await fetch(url);
    assert.equal(hit.headers.get("x-cache-status"), "HIT");
    assert.equal(hit.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.match(hit.headers.get("content-type") ?? "", /^video\/webm/);
    assert.ok(hit.headers.get("etag"));
    await hit.body?.cancel();
  } finally {
    for (const t of tracks) t.stop();
    await publishing?.catch(() => {});
    await nginx.stop();
    await server.close();
  }
});

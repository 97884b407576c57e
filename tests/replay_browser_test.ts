/**
 * Replay end to end: a lesson is published by ffmpeg over PUT /ingest (two
 * tracks whose colour encodes their media time), with chat and a title
 * change, and recorded by the server. In Chromium, `/r/:id` seeks to 12 s and
 * both videos show the frame made at 12 s on the recording's clock; the chat
 * replays when the playhead passes each message and a click jumps to it; the
 * keyboard steps and plays. Then `lesson.zip` is unzipped to a folder and its
 * `index.html`, opened from `file://`, plays and seeks the same way.
 */
import assert from "node:assert/strict";
import { unzipSync } from "fflate";
import type { Page } from "./browser.ts";
import { openPages } from "./lesson_pages.ts";
import { createRoom, watch } from "./ws_clients.ts";
import { encodeClient } from "../lib/protocol.ts";
import {
  colourTime,
  eventually,
  probeFrame,
  recordLesson,
  timeDistance,
} from "./timecoded_lesson.ts";
import { parseRecording, type RecordingInfo } from "../lib/replay/recording.ts";
import { parseEvents, type ReplayEvent } from "../lib/replay/events.ts";

const TRACKS = ["camera", "whiteboard"];

/** Sets the seek bar as a user dragging it would. */
function seekBar(page: Page, seconds: number): Promise<void> {
  return page.evaluate((s) => {
    const bar = document.querySelector<HTMLInputElement>('[data-testid="replay-seek"]')!;
    bar.value = String(s);
    bar.dispatchEvent(new Event("input", { bubbles: true }));
    bar.dispatchEvent(new Event("change", { bubbles: true }));
  }, seconds);
}

function seekValue(page: Page): Promise<number> {
  return page.evaluate(() =>
    Number(document.querySelector<HTMLInputElement>('[data-testid="replay-seek"]')!.value)
  );
}

/**
 * Both tracks show the frame of timeline second `at`: each video's time is
 * `at` minus its part's offset, and the colour decodes to that media time.
 */
async function assertFrameAt(page: Page, rec: RecordingInfo, at: number) {
  for (const track of TRACKS) {
    const part = rec.tracks.find((t) => t.name === track)!.parts[0];
    const expected = at - part.offsetMs / 1000;
    let last = "";
    await eventually(`${track} shows the frame of ${at} s`, 10_000, async () => {
      const p = await probeFrame(page, `video[data-track="${track}"]`);
      last = JSON.stringify({ ...p, decoded: colourTime(track, p.rgb), expected });
      return !p.seeking && p.readyState >= 2 && Math.abs(p.currentTime - expected) < 0.15 &&
        timeDistance(colourTime(track, p.rgb), expected) < 0.6;
    }).catch((err) => {
      throw new Error(`${err.message}: ${last}`);
    });
  }
}

async function assertPlays(page: Page) {
  const before = await probeFrame(page, 'video[data-track="camera"]');
  await eventually("the replay plays on", 10_000, async () => {
    const now = await probeFrame(page, 'video[data-track="camera"]');
    return now.currentTime > before.currentTime + 1;
  });
}

function chatText(page: Page): Promise<string> {
  return page.locator('[data-testid="replay-chat"]').innerText();
}

async function waitHydrated(page: Page) {
  await page.waitForFunction(() =>
    !document.querySelector<HTMLButtonElement>('[data-testid="replay-play"]')?.disabled
  );
}

Deno.test("a recorded lesson replays in sync at /r/:id and offline from lesson.zip", async (t) => {
  await using pages = await openPages({
    launch: { extraArgs: ["--allow-file-access-from-files"] },
  });
  const { server } = pages;
  const unzipped = await Deno.makeTempDir({ prefix: "chalkcast-lesson-" });
  try {
    const room = await createRoom(server.origin, "Fractions");
    const chatter = await watch(server.origin, room.id, "Ann");
    await chatter.until(() => chatter.messages.some((m) => m.type === "welcome"));
    const say = (text: string) => chatter.ws.send(encodeClient({ type: "chat", text }));
    const recordingId = await recordLesson(server.origin, room, {
      seconds: 22,
      steps: [
        { atS: 5, run: () => say("first question") },
        {
          atS: 8,
          run: async () => {
            const res = await fetch(`${server.origin}/api/rooms/${room.id}`, {
              method: "PATCH",
              headers: { authorization: `Bearer ${room.key}` },
              body: JSON.stringify({ title: "Fractions: part 2" }),
            });
            assert.equal(res.status, 200, await res.text());
          },
        },
        { atS: 15, run: () => say("second question") },
      ],
    });
    await chatter.close();
    const rec = parseRecording(
      await (await fetch(`${server.origin}/api/recordings/${recordingId}`)).json(),
    )!;
    const events: ReplayEvent[] = parseEvents(
      await (await fetch(`${server.origin}${rec.eventsUrl}`)).json(),
    );
    const chatAt = (text: string) => events.find((e) => e.type === "chat" && e.text === text)!.t;
    assert.ok(chatAt("first question") < 12_000 && chatAt("second question") > 12_000);

    const page = await pages.page("replay");

    await t.step("an unknown id gets the 404 page; its zip a 404 that says why", async () => {
      const res = await page.goto(`${server.origin}/r/AAAAAAAAAAAAAAAAAAAAAA`);
      assert.equal(res?.status(), 404);
      await page.waitForSelector('[data-testid="replay-not-found"]');
      const zip = await fetch(`${server.origin}/recordings/AAAAAAAAAAAAAAAAAAAAAA/lesson.zip`);
      assert.equal(zip.status, 404);
      assert.match((await zip.json()).error, /no such recording/);
    });

    await t.step("seeking to 12 s shows the frame of 12 s on both tracks", async () => {
      await page.goto(`${server.origin}${rec.replayUrl}`);
      await waitHydrated(page);
      await seekBar(page, 12);
      await assertFrameAt(page, rec, 12);
      const chat = await chatText(page);
      assert.match(chat, /first question/);
      assert.doesNotMatch(chat, /second question/, "not before it was said");
    });

    await t.step("chapters follow the title change", async () => {
      const title = events.find((e) => e.type === "title" && e.title === "Fractions: part 2")!;
      const chapter = page.locator('[data-testid="replay-chapters"] button', {
        hasText: "Fractions: part 2",
      });
      assert.equal(Number(await chapter.getAttribute("data-t")), title.t);
    });

    await t.step("the chat replays when the playhead passes each message", async () => {
      await page.click('[data-testid="replay-play"]');
      const shownAt = await page.waitForFunction(
        () => {
          const chat = document.querySelector('[data-testid="replay-chat"]')!;
          const bar = document.querySelector<HTMLInputElement>('[data-testid="replay-seek"]')!;
          return chat.textContent!.includes("second question") && Number(bar.value);
        },
        undefined,
        { polling: "raf", timeout: 15_000 },
      );
      const at = await shownAt.jsonValue() as number;
      const said = chatAt("second question") / 1000;
      assert.ok(at >= said - 0.1 && at <= said + 0.5, `shown at ${at} s, said at ${said} s`);
    });

    await t.step("a click on a message jumps there; keys pause and step back", async () => {
      await page.click('[data-testid="replay-play"]'); // pause
      await page.locator('[data-testid="replay-chat"] button', { hasText: "first question" })
        .click();
      const first = chatAt("first question") / 1000;
      await eventually("the playhead is at the first message", 5000, async () => {
        return Math.abs(await seekValue(page) - first) < 0.2;
      });
      await page.locator("h1").click(); // focus the page, not a button
      await page.keyboard.press("ArrowRight");
      await eventually("→ stepped 5 s", 5000, async () => {
        return Math.abs(await seekValue(page) - (first + 5)) < 0.2;
      });
      await assertFrameAt(page, rec, first + 5);
      await page.keyboard.press(" ");
      await assertPlays(page);
      await page.selectOption('[data-testid="replay-speed"]', "2");
      const rates = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLVideoElement>("video[data-track]")].map((v) =>
          v.playbackRate
        )
      );
      // 2×, or within the ±8 % nudge that keeps a drifting track on the clock.
      for (const rate of rates) assert.ok(rate >= 1.84 && rate <= 2.16, `rate ${rate}`);
    });

    await t.step("lesson.zip opened from file:// plays and seeks", async () => {
      const res = await fetch(`${server.origin}${rec.downloadUrl}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/zip");
      assert.match(res.headers.get("content-disposition") ?? "", /attachment; filename=".+\.zip"/);
      const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
      for (const name of ["index.html", "lesson.js", "player.js", "chat.vtt", "events.json"]) {
        assert.ok(files[name], `${name} is in the zip`);
      }
      for (const track of rec.tracks) {
        for (const part of track.parts) {
          const name = part.url.split("/").pop()!;
          const onDisk = await (await fetch(`${server.origin}${part.url}`)).arrayBuffer();
          assert.deepEqual(files[name], new Uint8Array(onDisk), `${name} as recorded`);
        }
      }
      assert.match(new TextDecoder().decode(files["chat.vtt"]), /<v Ann>first question/);
      for (const [name, bytes] of Object.entries(files)) {
        await Deno.writeFile(`${unzipped}/${name}`, bytes);
      }
      const offline = await pages.page("offline");
      const requests: string[] = [];
      offline.on("request", (r) => requests.push(r.url()));
      await offline.goto(`file://${unzipped}/index.html`);
      await waitHydrated(offline);
      await seekBar(offline, 12);
      await assertFrameAt(offline, rec, 12);
      assert.match(await chatText(offline), /first question/);
      await offline.click('[data-testid="replay-play"]');
      await assertPlays(offline);
      assert.deepEqual(requests.filter((u) => !u.startsWith("file://")), [], "nothing but files");
    });
    pages.assertNoPageErrors();
  } finally {
    await pages.close();
    await Deno.remove(unzipped, { recursive: true }).catch(() => {});
  }
});

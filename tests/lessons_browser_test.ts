/**
 * Lesson lists in Chromium: a recorded lesson appears on the home page with
 * its replay and download links; unlisted, it leaves the home page but stays
 * in its room's studio, which deletes it (two clicks, with the room key the
 * studio holds).
 */
import assert from "node:assert/strict";
import { openPages } from "./lesson_pages.ts";
import { createRoom } from "./ws_clients.ts";
import { recordLesson } from "./timecoded_lesson.ts";

Deno.test("the home page lists recent lessons; the studio lists its room's and deletes one", async () => {
  await using pages = await openPages({ start: { recordGraceMs: 300 } });
  const { server } = pages;
  const room = await createRoom(server.origin, "Geometry");
  const id = await recordLesson(server.origin, room, { seconds: 4, endRoom: false });
  const item = `[data-testid="lesson"][data-recording="${id}"]`;

  const home = await pages.page("home", server.origin);
  await home.waitForSelector(item);
  assert.equal(
    await home.locator(`${item} [data-testid="lesson-replay"]`).getAttribute("href"),
    `/r/${id}`,
  );
  assert.equal(
    await home.locator(`${item} [data-testid="lesson-download"]`).getAttribute("href"),
    `/recordings/${id}/lesson.zip`,
  );
  assert.match(await home.locator(item).innerText(), /Geometry/);
  assert.equal(await home.locator(`${item} [data-testid="lesson-delete"]`).count(), 0);

  const res = await fetch(`${server.origin}/api/recordings/${id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${room.key}` },
    body: JSON.stringify({ unlisted: true }),
  });
  assert.equal(res.status, 200, await res.text());
  await home.reload();
  await home.waitForSelector('[data-testid="lessons-empty"]');

  const studio = await pages.page(
    "studio",
    `${server.origin}/studio#room=${room.id}&key=${room.key}`,
  );
  const own = studio.locator(`[data-testid="past-lessons"] ${item}`);
  await own.waitFor({ timeout: 10_000 });
  assert.match(await own.innerText(), /unlisted/);
  const del = own.locator('[data-testid="lesson-delete"]');
  await studio.waitForFunction(
    (sel) => !document.querySelector<HTMLButtonElement>(sel)?.disabled,
    `${item} [data-testid="lesson-delete"]`,
  );
  await del.click();
  assert.equal(await del.innerText(), "Really delete?");
  await del.click();
  await own.waitFor({ state: "detached" });
  const gone = await fetch(`${server.origin}/api/recordings/${id}`);
  await gone.body?.cancel();
  assert.equal(gone.status, 404);
  pages.assertNoPageErrors();
});

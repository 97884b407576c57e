/**
 * Slides and ink end to end in Chromium: the presenter uploads a 3-page PDF
 * in the studio (rendered there by pdf.js, uploaded in every rendition), a
 * viewer shows it in its slide+ink view, PageDown (a clicker) moves every
 * viewer on within 2 s, a stroke shows on the viewer within 1 s as data, each
 * slide keeps its own ink, and a late joiner gets the current slide and ink.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "./browser.ts";
import { DECK_UPLOAD_MS as UPLOAD_MS } from "./studio_page.ts";
import { openLesson } from "./lesson_pages.ts";
import { colourPagesPdf } from "./pdf_fixture.ts";
import { slideImage } from "./slide_images.ts";
import { latency, markStudio, markViewer, press, stroke } from "./slide_latency.ts";

const RED: [number, number, number] = [0.9, 0.1, 0.1];
const GREEN: [number, number, number] = [0.1, 0.7, 0.2];
const BLUE: [number, number, number] = [0.1, 0.2, 0.9];

/** The viewer's slide view: index shown, strokes on it, and the colour at the image's centre. */
function slideOf(page: Page) {
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid="slide"]');
    if (!el) return null;
    const img = el.querySelector<HTMLImageElement>("img");
    let rgb: number[] | null = null;
    if (img?.complete && img.naturalWidth > 0) {
      const c = document.createElement("canvas");
      c.width = c.height = 1;
      const ctx = c.getContext("2d")!;
      ctx.drawImage(img, img.naturalWidth / 2, img.naturalHeight / 2, 1, 1, 0, 0, 1, 1);
      rgb = [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
    }
    const ink = el.querySelector("canvas")!;
    const d = ink.getContext("2d")!.getImageData(0, 0, ink.width, ink.height).data;
    let inked = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++;
    return {
      index: Number(el.dataset.slideIndex),
      strokes: Number(el.dataset.strokes),
      inkedShare: inked / (ink.width * ink.height),
      width: img?.naturalWidth ?? 0,
      rgb,
    };
  });
}

/** Waits until the viewer's slide view satisfies `ok`; returns how long it took. */
async function until(
  page: Page,
  what: string,
  ms: number,
  ok: (s: NonNullable<Awaited<ReturnType<typeof slideOf>>>) => boolean,
): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms + 5_000) {
    const s = await slideOf(page);
    if (s && ok(s)) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting until ${what}: ${JSON.stringify(await slideOf(page))}`);
}

const near = (rgb: number[] | null, want: [number, number, number]) =>
  rgb !== null && rgb.every((v, i) => Math.abs(v - want[i] * 255) < 40);

Deno.test("slides: a 3-page PDF uploads and shows, PageDown moves viewers, ink follows as data", async (t) => {
  await using lesson = await openLesson();
  const { server, studio, viewerUrl, roomId } = lesson;
  const viewer = await lesson.page("viewer", viewerUrl);

  await t.step("a 3-page PDF uploads from the studio and shows on the viewer", async () => {
    await studio.setInputFiles('[data-testid="slide-upload"]', {
      name: "deck.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from(colourPagesPdf([RED, GREEN, BLUE])),
    });
    await studio.waitForSelector('[data-testid="slide-position"]:has-text("Slide 1 / 3")', {
      timeout: UPLOAD_MS,
    });
    const room = await (await fetch(`${server.origin}/api/rooms/${roomId}`)).json();
    assert.deepEqual([room.slides.count, room.slides.index], [3, 0]);
    await until(viewer, "the first page shows", 10_000, (s) => s.index === 0 && near(s.rgb, RED));
    const s = (await slideOf(viewer))!;
    assert.ok([800, 1024, 1280, 1920].includes(s.width), `a rendition: ${s.width}`);
    // The studio's board shows the slide under the ink: its centre turns red once the image loads.
    await studio.waitForFunction(
      () => {
        const c = document.querySelector<HTMLCanvasElement>('[data-testid="whiteboard"]')!;
        const d = c.getContext("2d")!.getImageData(640, 360, 1, 1).data;
        return d[0] > 190 && d[1] < 70 && d[2] < 70;
      },
      undefined,
      { timeout: 60_000 },
    );
  });

  await t.step(
    "a stroke drawn in the studio shows in the viewer's slide view within 1 s",
    async () => {
      await markStudio(studio, "pointerdown");
      await markViewer(viewer, "strokes", 1);
      await stroke(studio, 0.3);
      const ms = await latency(studio, viewer, 5_000);
      assert.ok(ms < 1_000, `the stroke showed after ${ms} ms`);
      const s = (await slideOf(viewer))!;
      assert.ok(s.inkedShare > 0, "the stroke is drawn on the viewer's ink canvas");
    },
  );

  await t.step("PageDown in the studio moves the viewer to slide 2 within 2 s", async () => {
    await markStudio(studio, "keydown");
    await markViewer(viewer, "slideIndex", 1);
    await press(studio, "PageDown");
    const ms = await latency(studio, viewer, 10_000);
    assert.ok(ms < 2_000, `slide 2 showed after ${ms} ms`);
    await until(viewer, "slide 2's image loads", 5_000, (s) => near(s.rgb, GREEN));
    const s = (await slideOf(viewer))!;
    assert.equal(s.strokes, 0, "slide 2 starts without ink");
  });

  await t.step(
    "going back shows the earlier slide's ink; a late joiner gets it too",
    async () => {
      await stroke(studio, 0.6);
      await until(
        viewer,
        "the stroke on slide 2 shows",
        2_000,
        (s) => s.index === 1 && s.strokes === 1,
      );
      await studio.click('[data-testid="slide-prev"]');
      await until(
        viewer,
        "slide 1 with its stroke",
        2_000,
        (s) => s.index === 0 && s.strokes === 1 && near(s.rgb, RED),
      );
      const late = await lesson.page("late viewer", viewerUrl);
      await until(
        late,
        "the late joiner shows slide 1 and its ink",
        10_000,
        (s) => s.index === 0 && s.strokes === 1 && s.inkedShare > 0,
      );
      await press(studio, "ArrowRight");
      await until(
        late,
        "the late joiner follows to slide 2 with its ink",
        2_000,
        (s) => s.index === 1 && s.strokes === 1,
      );
    },
  );

  await t.step("typing in the chat does not move slides", async () => {
    const input = studio.locator('[data-testid="chat-input"]');
    await input.click();
    await studio.keyboard.press("ArrowLeft");
    await studio.keyboard.press("PageUp");
    const room = await (await fetch(`${server.origin}/api/rooms/${roomId}`)).json();
    assert.equal(room.slides.index, 1);
  });
  await t.step("images upload as a deck too, one page each in name order", async () => {
    const before = (await slideOf(viewer))!;
    await studio.setInputFiles('[data-testid="slide-upload"]', [
      {
        name: "2.png",
        mimeType: "image/png",
        buffer: Buffer.from(await slideImage(640, 480, "png")),
      },
      {
        name: "10.png",
        mimeType: "image/png",
        buffer: Buffer.from(await slideImage(480, 640, "png")),
      },
    ]);
    await studio.waitForSelector('[data-testid="slide-position"]:has-text("Slide 1 / 2")', {
      timeout: UPLOAD_MS,
    }).catch(async (err) => {
      throw new Error(`${await studio.locator(".slide-panel").textContent()}`, { cause: err });
    });
    await until(
      viewer,
      "the image deck shows, without the old ink",
      5_000,
      (s) =>
        s.index === 0 && s.strokes === 0 && s.rgb !== null && !near(s.rgb, before.rgb as never),
    );
    const room = await (await fetch(`${server.origin}/api/rooms/${roomId}`)).json();
    assert.deepEqual([room.slides.count, room.slides.index], [2, 0]);
  });
  lesson.assertNoPageErrors();
});

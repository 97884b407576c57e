/**
 * Chat in Chromium, through the real islands: the presenter goes live from
 * /studio; viewers on /s/:id pick a name, chat, see markup as plain text; a
 * late joiner gets the history; a message the presenter deletes disappears
 * for everyone; a muted viewer is told so. The viewer count follows along.
 */
import assert from "node:assert/strict";
import type { Page } from "./browser.ts";
import { openLesson } from "./lesson_pages.ts";

const MARKUP = `<img src="x" onerror="window.__pwned = 1"><b>bold?</b>`;

/** The texts of the chat log's messages, in order. */
function chatTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="chat-log"] [data-testid="chat-text"]').allTextContents();
}

async function waitForTexts(page: Page, what: string, check: (texts: string[]) => boolean) {
  const until = Date.now() + 10_000;
  let last: string[] = [];
  while (Date.now() < until) {
    last = await chatTexts(page);
    if (check(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting until ${what}; the log shows ${JSON.stringify(last)}`);
}

async function say(page: Page, text: string) {
  const input = page.locator('[data-testid="chat-input"]');
  await page.waitForFunction(() =>
    !document.querySelector<HTMLInputElement>('[data-testid="chat-input"]')?.disabled
  );
  await input.fill(text);
  await input.press("Enter");
  await page.waitForFunction(() =>
    document.querySelector<HTMLInputElement>('[data-testid="chat-input"]')?.value === ""
  );
}

Deno.test("viewers chat with the presenter; history, text-only rendering, delete and mute", async () => {
  await using lesson = await openLesson();
  const { studio, viewerUrl } = lesson;

  const ada = await lesson.page("ada", viewerUrl);
  const bob = await lesson.page("bob", viewerUrl);

  // Ada picks a name; it is kept in her browser and used from then on.
  await ada.waitForFunction(() =>
    /^Guest-/.test(document.querySelector('[data-testid="chat-name"]')?.textContent ?? "")
  );
  await ada.click('[data-testid="chat-rename"]');
  await ada.fill('[data-testid="chat-name-input"]', "Ada");
  await ada.press('[data-testid="chat-name-input"]', "Enter");
  await ada.waitForSelector('[data-testid="chat-name"]:text-is("Ada")');
  assert.equal(await ada.evaluate(() => localStorage.getItem("chalkcast.chat.name")), "Ada");

  await say(ada, "Hello from Ada");
  await say(bob, MARKUP);
  for (const [page, label] of [[ada, "ada"], [bob, "bob"], [studio, "studio"]] as const) {
    await waitForTexts(
      page,
      `${label} sees both messages`,
      (t) => t.includes("Hello from Ada") && t.includes(MARKUP),
    );
  }
  // Markup shows as the characters typed, never as elements, and nothing ran.
  for (const page of [ada, bob, studio]) {
    assert.equal(
      await page.locator('[data-testid="chat-log"] img, [data-testid="chat-log"] b').count(),
      0,
    );
    assert.equal(await page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
  }
  const names = await bob.locator('[data-testid="chat-log"] .chat-name').allTextContents();
  assert.equal(names[0], "Ada");
  assert.match(names[1], /^Guest-/);

  await say(studio, "Welcome, everyone");
  await waitForTexts(ada, "ada sees the presenter", (t) => t.includes("Welcome, everyone"));

  // A late joiner gets the history.
  const late = await lesson.page("late", viewerUrl);
  await waitForTexts(
    late,
    "the late joiner sees the history",
    (t) => t.join("|") === ["Hello from Ada", MARKUP, "Welcome, everyone"].join("|"),
  );
  await studio.waitForSelector('[data-testid="viewer-count"]:has-text("3 viewers")');
  await late.waitForSelector('[data-testid="viewer-count"]:has-text("3 watching")');

  // The presenter deletes Ada's message: it disappears for everyone.
  const line = studio.locator('[data-testid="chat-message"]', { hasText: "Hello from Ada" });
  await line.hover();
  await line.locator('[data-testid="chat-delete"]').click();
  for (
    const [page, label] of [[ada, "ada"], [bob, "bob"], [late, "late"], [
      studio,
      "studio",
    ]] as const
  ) {
    await waitForTexts(
      page,
      `the deleted message is gone for ${label}`,
      (t) => !t.includes("Hello from Ada") && t.includes("Welcome, everyone"),
    );
  }

  // The presenter mutes Bob: Bob is told and cannot send.
  const bobLine = studio.locator('[data-testid="chat-message"]', { hasText: "bold?" });
  await bobLine.hover();
  await bobLine.locator('[data-testid="chat-mute"]').click();
  await bob.waitForSelector('[data-testid="chat-notice"]:has-text("muted you")');
  assert.equal(await bob.locator('[data-testid="chat-input"]').isDisabled(), true);
  await say(ada, "Ada can still talk");
  await waitForTexts(late, "others still chat", (t) => t.includes("Ada can still talk"));

  lesson.assertNoPageErrors();
});

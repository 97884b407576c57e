import assert from "node:assert/strict";
import { remuxToMp4 } from "./mp4_remux.ts";

const FIXTURE = new URL("../../tests/fixtures/ffmpeg/h264-aac-g30.mp4", import.meta.url);

/** The fixture with its avcC's SPS length made larger than the box: damaged codec data. */
async function damagedH264(): Promise<Uint8Array> {
  const bytes = await Deno.readFile(FIXTURE);
  const avcC = bytes.findIndex((_, i) =>
    bytes[i] === 0x61 && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x63 && bytes[i + 3] === 0x43
  );
  assert.ok(avcC > 0, "the fixture has an avcC box");
  // type(4) version profile compat level lengthSize numSps, then the SPS length (2 bytes).
  bytes[avcC + 10] = 0x00;
  bytes[avcC + 11] = 0xfe;
  return bytes;
}

/** Runs `fn` with console.error/warn/info recorded instead of printed. */
async function quietConsole<T>(fn: () => Promise<T>): Promise<{ value: T; printed: unknown[][] }> {
  const printed: unknown[][] = [];
  const saved = { error: console.error, warn: console.warn, info: console.info };
  console.error = console.warn = console.info = (...args: unknown[]) => void printed.push(args);
  try {
    return { value: await fn(), printed };
  } finally {
    Object.assign(console, saved);
  }
}

Deno.test("remuxing an MP4 with damaged H.264 codec data prints nothing and says so in one line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/camera.mp4`;
    await Deno.writeFile(path, await damagedH264());
    const { value, printed } = await quietConsole(() => remuxToMp4(path));
    assert.deepEqual(printed, [], "nothing reached the console");
    assert.match(
      value.warning ?? "",
      /^remuxed, but its codec data is damaged: Error deserializing AVC Decoder Configuration Record: RangeError: .+/,
    );
    assert.doesNotMatch(value.warning!, /\n/, "one line, no stack");
    assert.ok(value.bytes > 0 && value.durationMs > 3000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("remuxing a sound MP4 reports nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/camera.mp4`;
    await Deno.copyFile(FIXTURE, path);
    const { value, printed } = await quietConsole(() => remuxToMp4(path));
    assert.deepEqual(printed, []);
    assert.equal(value.warning, null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

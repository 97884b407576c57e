import assert from "node:assert/strict";
import { slideImage } from "../../tests/slide_images.ts";
import { imageInfo } from "./image_size.ts";

Deno.test("imageInfo() reads the size of real WebP and JPEG files made by ffmpeg", async () => {
  assert.deepEqual(imageInfo(await slideImage(800, 450, "webp")), {
    type: "image/webp",
    w: 800,
    h: 450,
  });
  assert.deepEqual(imageInfo(await slideImage(1024, 768, "jpg")), {
    type: "image/jpeg",
    w: 1024,
    h: 768,
  });
});

Deno.test("imageInfo() refuses PNG, text and cut headers", async () => {
  assert.equal(imageInfo(await slideImage(64, 48, "png")), null);
  assert.equal(imageInfo(new TextEncoder().encode("RIFF....WEBPVP8 hello world")), null);
  assert.equal(imageInfo(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16])), null);
});

/** Test helper: real slide images made by the installed ffmpeg (WebP, JPEG, PNG). */

/**
 * An image of `w`×`h` in `format` ("webp", "jpg", "png"), a test pattern so it does not compress
 * to nothing. Another `variant` gives other bytes (the hue turns), for decks that share no image.
 */
export async function slideImage(
  w: number,
  h: number,
  format = "webp",
  variant = 0,
): Promise<Uint8Array<ArrayBuffer>> {
  const codec = format === "jpg"
    ? ["-c:v", "mjpeg", "-f", "mjpeg"]
    : format === "png"
    ? ["-c:v", "png", "-f", "image2pipe"]
    : ["-c:v", "libwebp", "-f", "webp"];
  const { code, stdout, stderr } = await new Deno.Command("ffmpeg", {
    args: [
      "-hide_banner",
      "-nostdin",
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      `testsrc=s=${w}x${h}:r=1`,
      "-frames:v",
      "1",
      ...(variant === 0 ? [] : ["-vf", `hue=h=${(variant * 37) % 360}`]),
      ...codec,
      "pipe:1",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
  return new Uint8Array(stdout);
}

/**
 * Test helper: decodes a media byte stream with the installed ffmpeg and
 * returns what it complained about. An empty string means ffmpeg decoded every
 * frame without an error; use it to check that emitted segments are playable.
 */

/** Pipes `bytes` to `ffmpeg -v error -i - -f null -` and returns its stderr (trimmed). */
export async function ffmpegErrors(bytes: Uint8Array): Promise<string> {
  const child = new Deno.Command("ffmpeg", {
    args: ["-hide_banner", "-nostdin", "-v", "error", "-i", "pipe:0", "-f", "null", "-"],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  const writer = child.stdin.getWriter();
  try {
    await writer.write(bytes);
    await writer.close();
  } catch {
    // ffmpeg may exit early on bad input and close its stdin; its stderr says why.
  }
  const { code, stderr } = await output;
  const text = new TextDecoder().decode(stderr).trim();
  return text || (code === 0 ? "" : `ffmpeg exited with code ${code}`);
}

/**
 * Test helper: decodes a media byte stream with the installed ffmpeg and
 * returns what it complained about. An empty string means ffmpeg decoded every
 * frame without an error; use it to check that emitted segments are playable.
 */

/** Pipes `bytes` to `ffmpeg -v error -i - -f null -` and returns its stderr (trimmed). */
export async function ffmpegErrors(bytes: Uint8Array): Promise<string> {
  const { code, stderr } = await pipeInto(
    "ffmpeg",
    ["-hide_banner", "-nostdin", "-v", "error", "-i", "pipe:0", "-f", "null", "-"],
    bytes,
  );
  const text = new TextDecoder().decode(stderr).trim();
  return text || (code === 0 ? "" : `ffmpeg exited with code ${code}`);
}

/** One stream as ffprobe sees it. */
export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
}

/** The streams ffprobe finds in `bytes` (a media byte stream). */
export async function probeStreams(bytes: Uint8Array): Promise<ProbedStream[]> {
  const { code, stdout, stderr } = await pipeInto(
    "ffprobe",
    ["-v", "error", "-show_streams", "-of", "json", "pipe:0"],
    bytes,
  );
  if (code !== 0) throw new Error(`ffprobe: ${new TextDecoder().decode(stderr).trim()}`);
  return JSON.parse(new TextDecoder().decode(stdout)).streams ?? [];
}

/** Runs `command` with `bytes` on its stdin; its exit code, stdout and stderr. */
async function pipeInto(
  command: string,
  args: string[],
  bytes: Uint8Array,
): Promise<Deno.CommandOutput> {
  const child = new Deno.Command(command, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  const writer = child.stdin.getWriter();
  try {
    await writer.write(bytes);
    await writer.close();
  } catch {
    // The tool may exit early (bad input, or it knows enough) and close its stdin.
  }
  return await output;
}

/**
 * The voice track for load tests: Opus alone in a live WebM at a speech
 * bitrate (24 kbit/s, as the studio sends it), made once with ffmpeg and cut
 * into ~100 ms chunks like bench/stream_source.ts's camera.
 */
import { cutStream, type StreamSource } from "./stream_source.ts";

const DIR = `${Deno.env.get("TMPDIR") ?? "/tmp"}/chalkcast-bench`;

/** Loads (making it first if needed) `seconds` of Opus at `kbps`, cut into `chunkMs` chunks. */
export async function voiceSource(seconds = 30, chunkMs = 100, kbps = 24): Promise<StreamSource> {
  const path = `${DIR}/opus-${kbps}k-${seconds}s.webm`;
  try {
    await Deno.stat(path);
  } catch {
    await Deno.mkdir(DIR, { recursive: true });
    const { code, stderr } = await new Deno.Command("ffmpeg", {
      args: [
        ...["-hide_banner", "-nostdin", "-v", "error", "-y"],
        ...["-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000", "-t", String(seconds)],
        ...["-c:a", "libopus", "-b:a", `${kbps}k`, "-application", "voip"],
        ...["-live", "1", "-f", "webm", path],
      ],
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(`ffmpeg failed: ${new TextDecoder().decode(stderr)}`);
  }
  return cutStream(await Deno.readFile(path), chunkMs);
}

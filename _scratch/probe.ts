import { launchFirefox } from "../tests/firefox.ts";
import { launchBrowser } from "../tests/browser.ts";
import { createDemuxer } from "../lib/media/detect.ts";
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () => new Response("<html><body>hi</body></html>", { headers: { "content-type": "text/html" } }));
const url = `http://127.0.0.1:${server.addr.port}/`;
const script = async (kind: string) => {
  const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const stream = kind === "audio" ? new MediaStream(s.getAudioTracks()) : new MediaStream(s.getVideoTracks());
  const mime = kind === "audio" ? "audio/webm;codecs=opus" : "video/webm;codecs=vp8";
  const r = new MediaRecorder(stream, { mimeType: mime, audioBitsPerSecond: 32000, videoKeyFrameIntervalDuration: 1000 } as MediaRecorderOptions);
  const parts: number[][] = [];
  const times: number[] = [];
  r.ondataavailable = async (e) => { times.push(performance.now()); parts.push([...new Uint8Array(await e.data.arrayBuffer())]); };
  r.start(100);
  await new Promise((res) => setTimeout(res, 6000));
  r.stop();
  await new Promise((res) => setTimeout(res, 300));
  return parts.flat();
};
for (const which of ["chromium", "firefox"]) {
  const b = which === "chromium" ? await launchBrowser() : await launchFirefox();
  const page = await b.newPage();
  await page.goto(url);
  for (const kind of ["audio", "video"]) {
    // deno-lint-ignore no-explicit-any
    const bytes = new Uint8Array(await (page as any).evaluate(script, kind));
    const d = createDemuxer({ maxElementBytes: 8 << 20 });
    const segs = d.push(bytes);
    const starts = segs.filter((s) => s.type === "media" && s.start).map((s) => s.type === "media" ? `${s.timestampMs}${s.keyframe ? "K" : ""}` : "");
    console.log(which, kind, bytes.length, segs[0]?.type === "init" ? segs[0].mime : "", "clusters:", starts.join(" "));
  }
  await b.close();
}
await server.shutdown();

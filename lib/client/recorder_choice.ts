/**
 * Picks the `MediaRecorder` MIME type for a track from what the browser says
 * it supports. WebM (VP8, then VP9, with Opus) comes first: VP8 is the
 * cheapest to encode live and every MSE we target plays it; MP4/H.264 is the
 * fallback for browsers without a WebM recorder (Safari). Pure: the caller
 * passes `MediaRecorder.isTypeSupported`.
 */

/** What the track carries. */
export interface TrackKinds {
  video: boolean;
  audio: boolean;
}

/** A chosen recorder type. */
export interface RecorderChoice {
  mimeType: string;
  container: "webm" | "mp4";
}

const AUDIO_VIDEO = [
  "video/webm;codecs=vp8,opus",
  "video/webm;codecs=vp9,opus",
  "video/webm;codecs=av01,opus",
  "video/mp4;codecs=avc1.42E01F,mp4a.40.2",
  "video/mp4;codecs=avc1,mp4a",
  "video/mp4;codecs=avc1.42E01F,opus",
  "video/webm",
  "video/mp4",
];

const VIDEO = [
  "video/webm;codecs=vp8",
  "video/webm;codecs=vp9",
  "video/webm;codecs=av01",
  "video/mp4;codecs=avc1.42E01F",
  "video/mp4;codecs=avc1",
  "video/webm",
  "video/mp4",
];

const AUDIO = [
  "audio/webm;codecs=opus",
  "audio/mp4;codecs=mp4a.40.2",
  "audio/mp4;codecs=opus",
  "audio/webm",
  "audio/mp4",
];

/** The candidate list, best first, for a track of these kinds. */
export function recorderCandidates({ video, audio }: TrackKinds): readonly string[] {
  if (video && audio) return AUDIO_VIDEO;
  if (video) return VIDEO;
  if (audio) return AUDIO;
  return [];
}

/** The best supported type, or null when the browser can record none of them. */
export function chooseRecorderType(
  kinds: TrackKinds,
  isTypeSupported: (mime: string) => boolean,
): RecorderChoice | null {
  for (const mimeType of recorderCandidates(kinds)) {
    let ok = false;
    try {
      ok = isTypeSupported(mimeType);
    } catch {
      // Some browsers throw on types they cannot parse; that is a "no".
    }
    if (ok) return { mimeType, container: mimeType.includes("mp4") ? "mp4" : "webm" };
  }
  return null;
}

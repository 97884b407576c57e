/**
 * The presenter's camera-and-microphone stream as the studio publishes it:
 * voice on its own `audio` track and the picture on a video-only `camera`
 * track. Separate tracks let a viewer take voice alone, and keep Firefox's
 * MSE away from Chromium's muxed VP8+Opus clusters (which it plays at ~1 fps).
 * A microphone without a camera gives `audio` only; a camera without a
 * microphone `camera` only.
 *
 * The microphone also feeds `audio-low`, a second, smaller encode of the same
 * voice for the slowest links (publisher.ts): the same MediaStreamTrack in a
 * stream of its own (two recorders may record one track; a clone would be one
 * more capture to stop).
 */

/** Published track name → its stream, or null when that device is off. */
export interface DeviceTracks {
  camera: MediaStream | null;
  audio: MediaStream | null;
  "audio-low": MediaStream | null;
}

/** The part of MediaStream used here. */
export interface StreamLike {
  getVideoTracks(): MediaStreamTrack[];
  getAudioTracks(): MediaStreamTrack[];
}

/** Splits the device stream; `make` builds a stream from tracks (`new MediaStream`). */
export function deviceTracks(
  stream: StreamLike | null,
  make: (tracks: MediaStreamTrack[]) => MediaStream = (t) => new MediaStream(t),
): DeviceTracks {
  const video = stream?.getVideoTracks() ?? [];
  const audio = stream?.getAudioTracks() ?? [];
  return {
    camera: video.length > 0 ? make(video) : null,
    audio: audio.length > 0 ? make(audio) : null,
    "audio-low": audio.length > 0 ? make(audio) : null,
  };
}

/** Hands each device track to the publisher (null stops a track that was live). */
export function publishDevices(
  publisher: { setSource(track: string, stream: MediaStream | null): void },
  stream: StreamLike | null,
  make?: (tracks: MediaStreamTrack[]) => MediaStream,
): void {
  const tracks = deviceTracks(stream, make);
  publisher.setSource("audio", tracks.audio);
  publisher.setSource("audio-low", tracks["audio-low"]);
  publisher.setSource("camera", tracks.camera);
}

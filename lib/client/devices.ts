/**
 * Opens the presenter's camera and microphone with graceful fallback: both
 * if possible, else whichever works, else none (the whiteboard alone is a
 * valid broadcast). `"off"` skips a device; `""` means the default one.
 */

export interface DeviceChoice {
  /** A deviceId, "" for the default, or "off". */
  camera: string;
  mic: string;
}

export interface OpenedDevices {
  stream: MediaStream | null;
  camera: boolean;
  mic: boolean;
  /** Why a wanted device is missing, for the UI. */
  error?: string;
}

type GetUserMedia = (constraints: MediaStreamConstraints) => Promise<MediaStream>;

/** Facecam size: small enough that two live encoders fit a modest laptop. */
export const CAMERA_VIDEO: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 24, max: 30 },
};

function videoConstraints(id: string): MediaTrackConstraints | false {
  if (id === "off") return false;
  return id ? { ...CAMERA_VIDEO, deviceId: { exact: id } } : CAMERA_VIDEO;
}

function audioConstraints(id: string): MediaTrackConstraints | false {
  if (id === "off") return false;
  const base = { echoCancellation: true, noiseSuppression: true };
  return id ? { ...base, deviceId: { exact: id } } : base;
}

/** Opens what `choice` asks for, falling back to fewer devices on failure. */
export async function openDevices(
  getUserMedia: GetUserMedia,
  choice: DeviceChoice,
): Promise<OpenedDevices> {
  const video = videoConstraints(choice.camera);
  const audio = audioConstraints(choice.mic);
  const attempts: MediaStreamConstraints[] = [
    { video, audio },
    ...(video && audio ? [{ video, audio: false }, { video: false, audio }] : []),
  ];
  let error: string | undefined;
  for (const c of attempts) {
    if (!c.video && !c.audio) break;
    try {
      const stream = await getUserMedia(c);
      const result = {
        stream,
        camera: stream.getVideoTracks().length > 0,
        mic: stream.getAudioTracks().length > 0,
      };
      return error ? { ...result, error } : result;
    } catch (err) {
      error ??= describe(err);
    }
  }
  return error ? { stream: null, camera: false, mic: false, error } : {
    stream: null,
    camera: false,
    mic: false,
  };
}

function describe(err: unknown): string {
  const name = (err as Error)?.name;
  if (name === "NotAllowedError") return "Camera or microphone blocked: allow them in the browser.";
  if (name === "NotFoundError") return "No camera or microphone found.";
  if (name === "NotReadableError") return "The camera or microphone is busy in another app.";
  return `Camera or microphone unavailable (${name ?? "error"}).`;
}

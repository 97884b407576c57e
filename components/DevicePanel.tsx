import { useEffect, useRef, useState } from "preact/hooks";
import { type DeviceChoice, openDevices } from "../lib/client/devices.ts";

export interface DevicePanelProps {
  /** The current camera + mic stream (null: neither), each time it changes. */
  onStream: (stream: MediaStream | null) => void;
  enabled: boolean;
}

/** Camera preview with camera and microphone pickers and mute toggles. */
export function DevicePanel({ onStream, enabled }: DevicePanelProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [choice, setChoice] = useState<DeviceChoice>({ camera: "", mic: "" });
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [camOn, setCamOn] = useState(true);
  const [micOn, setMicOn] = useState(true);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    let opened: MediaStream | null = null;
    const md = navigator.mediaDevices;
    if (!md?.getUserMedia) {
      setError("This browser cannot use a camera here (is the page on https?).");
      onStream(null);
      return;
    }
    openDevices((c) => md.getUserMedia(c), choice).then(async (r) => {
      if (cancelled) return r.stream?.getTracks().forEach((t) => t.stop());
      opened = r.stream;
      setError(r.error);
      setStream(r.stream);
      onStream(r.stream);
      setDevices(await md.enumerateDevices().catch(() => []));
    });
    return () => {
      cancelled = true;
      opened?.getTracks().forEach((t) => t.stop());
    };
  }, [enabled, choice.camera, choice.mic]);

  useEffect(() => {
    if (videoRef.current) videoRef.current.srcObject = stream;
    stream?.getVideoTracks().forEach((t) => (t.enabled = camOn));
    stream?.getAudioTracks().forEach((t) => (t.enabled = micOn));
  }, [stream, camOn, micOn]);

  const hasCam = (stream?.getVideoTracks().length ?? 0) > 0;
  const hasMic = (stream?.getAudioTracks().length ?? 0) > 0;
  const picker = (kind: "videoinput" | "audioinput", field: keyof DeviceChoice, label: string) => (
    <label class="field">
      <span>{label}</span>
      <select
        value={choice[field]}
        disabled={!enabled}
        onChange={(e) => setChoice({ ...choice, [field]: (e.target as HTMLSelectElement).value })}
        data-testid={`${field}-select`}
      >
        <option value="">Default</option>
        {devices.filter((d) => d.kind === kind && d.deviceId && d.deviceId !== "default").map((
          d,
          i,
        ) => <option key={d.deviceId} value={d.deviceId}>{d.label || `${label} ${i + 1}`}</option>)}
        <option value="off">Off</option>
      </select>
    </label>
  );

  return (
    <div class="card device-panel">
      <div class="preview" data-empty={!hasCam}>
        <video ref={videoRef} muted autoPlay playsInline data-testid="camera-preview" />
        {!hasCam && <p class="muted">{hasMic ? "Microphone only" : "No camera"}</p>}
      </div>
      <div class="row">
        <button
          type="button"
          class="button"
          aria-pressed={!camOn}
          disabled={!enabled || !hasCam}
          onClick={() => setCamOn(!camOn)}
          data-testid="toggle-camera"
        >
          {camOn ? "Camera on" : "Camera off"}
        </button>
        <button
          type="button"
          class="button"
          aria-pressed={!micOn}
          disabled={!enabled || !hasMic}
          onClick={() => setMicOn(!micOn)}
          data-testid="toggle-mic"
        >
          {micOn ? "Mic on" : "Mic muted"}
        </button>
      </div>
      <div class="row">
        {picker("videoinput", "camera", "Camera")}
        {picker("audioinput", "mic", "Microphone")}
      </div>
      {error && <p class="notice" role="status">{error}</p>}
    </div>
  );
}

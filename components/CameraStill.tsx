export interface CameraStillProps {
  /** The latest camera snapshot URL (`camera` message), or null for none. */
  snapshot: string | null;
  /** True on voice alone (`ultra-low`): says why there is no picture. */
  voiceOnly: boolean;
}

/**
 * The camera's place on profiles without camera video (docs/profiles.md):
 * the presenter's latest still (refreshed about every 5 s), or a note that
 * only the voice comes through.
 */
export function CameraStill({ snapshot, voiceOnly }: CameraStillProps) {
  if (snapshot && !voiceOnly) {
    return (
      <img
        class="camera-view camera-snapshot"
        src={snapshot}
        alt="The presenter's camera, a still every few seconds"
        data-testid="camera-snapshot"
      />
    );
  }
  return (
    <div class="camera-view voice-only" data-testid="voice-only" role="status">
      <strong>Voice only</strong>
      <span>
        {voiceOnly
          ? "The link is slow: you hear the presenter and see slides and ink."
          : "No camera picture yet."}
      </span>
    </div>
  );
}

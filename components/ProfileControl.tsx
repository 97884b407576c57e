import type { Mode } from "../lib/client/profile_policy.ts";
import { PROFILE_NAMES, type ProfileName } from "../lib/client/profiles.ts";

export interface ProfileControlProps {
  /** The profile in effect. */
  profile: ProfileName;
  mode: Mode;
  enabled: boolean;
  /** The last probe's estimate of the link, kbit/s; null before one finished. */
  probeKbps?: number | null;
  /** A profile picked by hand, or null for automatic. */
  onPick: (profile: ProfileName | null) => void;
}

/** What each profile gives, in the viewer's words. */
const LABELS: Record<ProfileName, string> = {
  "ultra-low": "Voice + slides",
  low: "+ camera stills",
  medium: "+ small camera",
  high: "Everything",
};

/**
 * The quality in effect and a manual override (docs/profiles.md). The
 * `data-profile`/`data-mode` attributes and the option values are a public
 * contract (tests and embedders read them); `data-probe-kbps` says what the
 * last probe of the link measured (the figure the automatic choice went by).
 */
export function ProfileControl(
  { profile, mode, enabled, probeKbps = null, onPick }: ProfileControlProps,
) {
  return (
    <label
      class="profile-control"
      data-testid="profile"
      data-profile={profile}
      data-mode={mode}
      data-probe-kbps={probeKbps ?? undefined}
      title="Quality: automatic follows your connection; pick one to keep it"
    >
      <span class="muted">Quality</span>
      <select
        disabled={!enabled}
        value={mode === "auto" ? "auto" : profile}
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          onPick(v === "auto" ? null : v as ProfileName);
        }}
      >
        <option value="auto">Auto ({LABELS[profile]})</option>
        {PROFILE_NAMES.map((p) => <option key={p} value={p}>{p}: {LABELS[p]}</option>)}
      </select>
    </label>
  );
}

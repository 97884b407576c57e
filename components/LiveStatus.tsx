import type { PublisherStatus } from "../lib/client/publisher.ts";
import { formatBitrate } from "../lib/client/rate_meter.ts";

export interface LiveStatusProps {
  status: PublisherStatus;
  viewers: number;
  /** Seconds since going live, or null when not live. */
  elapsedS: number | null;
  bitrates: Record<string, number>;
  detail?: string;
}

const LABEL: Record<PublisherStatus, string> = {
  idle: "Not live",
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  stopped: "Ended",
  failed: "Stopped",
};

/** mm:ss or h:mm:ss. */
export function formatElapsed(s: number): string {
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
  const mmss = `${String(m).padStart(h ? 2 : 1, "0")}:${String(sec).padStart(2, "0")}`;
  return h ? `${h}:${mmss}` : mmss;
}

/** The studio's status line: state, elapsed time, viewers, bitrate per track. */
export function LiveStatus({ status, viewers, elapsedS, bitrates, detail }: LiveStatusProps) {
  const badge = status === "live"
    ? "badge badge-live"
    : status === "reconnecting" || status === "failed"
    ? "badge badge-warn"
    : "badge";
  return (
    <div class="live-status" data-testid="live-status" data-status={status}>
      <span class={badge}>{status === "live" && <span class="dot" />}{LABEL[status]}</span>
      {elapsedS !== null && (
        <span class="stat" data-testid="elapsed">{formatElapsed(elapsedS)}</span>
      )}
      <span class="stat" data-testid="viewer-count" title="Viewers">
        {viewers} {viewers === 1 ? "viewer" : "viewers"}
      </span>
      {Object.entries(bitrates).map(([track, bps]) => (
        <span class="stat muted" key={track} data-testid={`bitrate-${track}`}>
          {track} {formatBitrate(bps)}
        </span>
      ))}
      {detail && <span class="notice">{detail}</span>}
    </div>
  );
}

import { useState } from "preact/hooks";
import { QrCode } from "./QrCode.tsx";

export interface SharePanelProps {
  /** Absolute viewer URL, or "" while the room is being created. */
  viewerUrl: string;
  enabled: boolean;
  onNewRoom: () => void;
}

/** The viewer link to hand out: link, copy button and a QR code for the projector. */
export function SharePanel({ viewerUrl, enabled, onNewRoom }: SharePanelProps) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(viewerUrl);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // No clipboard permission: the link is selectable text as well.
    }
  };
  return (
    <div class="card share-panel">
      <h2>Viewer link</h2>
      {viewerUrl
        ? (
          <>
            <a
              class="viewer-link"
              data-testid="viewer-link"
              href={viewerUrl}
              target="_blank"
              rel="noopener"
            >
              {viewerUrl}
            </a>
            <QrCode class="qr" text={viewerUrl} label={`QR code for ${viewerUrl}`} />
          </>
        )
        : <p class="muted">Creating a room…</p>}
      <div class="row">
        <button
          type="button"
          class="button"
          disabled={!enabled || !viewerUrl}
          onClick={copy}
          data-testid="copy-link"
        >
          {copied ? "Copied ✓" : "Copy link"}
        </button>
        <button
          type="button"
          class="button"
          disabled={!enabled}
          onClick={onNewRoom}
          data-testid="new-room"
        >
          New room
        </button>
      </div>
    </div>
  );
}

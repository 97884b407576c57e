import { useState } from "preact/hooks";
import { useHydrated } from "../lib/client/hydrated.ts";

export interface Props {
  roomId: string;
}

type Layout = "side-by-side" | "focus";

/** A viewer: camera and whiteboard videos, live. */
export default function Viewer({ roomId }: Props) {
  const hydrated = useHydrated();
  const [layout, setLayout] = useState<Layout>("side-by-side");
  return (
    <section class="viewer" data-layout={layout} data-room={roomId}>
      <div class="toolbar">
        <button
          type="button"
          class="button"
          data-testid="layout-toggle"
          disabled={!hydrated}
          onClick={() => setLayout(layout === "side-by-side" ? "focus" : "side-by-side")}
        >
          {layout === "side-by-side" ? "Whiteboard focus" : "Side by side"}
        </button>
      </div>
      <div class="stage">
        <video data-track="whiteboard" muted playsInline />
        <video data-track="camera" muted playsInline />
      </div>
    </section>
  );
}

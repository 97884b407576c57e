import { useState } from "preact/hooks";
import { useHydrated } from "../lib/client/hydrated.ts";

export interface Props {
  /** Reserved for server-provided defaults. */
  title?: string;
}

/** The presenter's studio: facecam, whiteboard, go live. */
export default function Studio({ title = "Untitled session" }: Props) {
  const hydrated = useHydrated();
  const [state, setState] = useState<"idle" | "live">("idle");
  return (
    <section class="studio" data-state={state}>
      <h1>{title}</h1>
      <button
        type="button"
        class="button button-primary"
        data-testid="go-live"
        disabled={!hydrated}
        onClick={() => setState(state === "idle" ? "live" : "idle")}
      >
        {state === "idle" ? "Go live" : "Stop"}
      </button>
    </section>
  );
}

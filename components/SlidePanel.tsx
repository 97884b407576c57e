import type { CurrentSlide } from "../lib/client/slides_api.ts";

export interface SlidePanelProps {
  enabled: boolean;
  slide: CurrentSlide | null;
  /** Upload progress or error text, if any. */
  status?: string;
  busy: boolean;
  onFiles: (files: File[]) => void;
  onPrevious: () => void;
  onNext: () => void;
}

/** Slide deck upload (a PDF or images) and previous / next, under the board. */
export function SlidePanel(
  { enabled, slide, status, busy, onFiles, onPrevious, onNext }: SlidePanelProps,
) {
  const count = slide?.count ?? 0;
  const index = slide?.index ?? 0;
  return (
    <div class="row slide-panel">
      <label class="button" aria-disabled={!enabled || busy}>
        Slides…
        <input
          type="file"
          class="visually-hidden"
          data-testid="slide-upload"
          accept="application/pdf,.pdf,image/*"
          multiple
          disabled={!enabled || busy}
          onChange={(e) => {
            const input = e.target as HTMLInputElement;
            const files = [...(input.files ?? [])];
            input.value = "";
            if (files.length) onFiles(files);
          }}
        />
      </label>
      <button
        type="button"
        class="button"
        data-testid="slide-prev"
        aria-label="Previous slide"
        disabled={!enabled || count === 0 || index === 0}
        onClick={onPrevious}
      >
        ◀
      </button>
      <span class="stat" data-testid="slide-position" data-slide-index={count ? index : undefined}>
        {count ? `Slide ${index + 1} / ${count}` : "No slides"}
      </span>
      <button
        type="button"
        class="button"
        data-testid="slide-next"
        aria-label="Next slide"
        disabled={!enabled || count === 0 || index >= count - 1}
        onClick={onNext}
      >
        ▶
      </button>
      {status && <span class="stat muted" data-testid="slide-status">{status}</span>}
    </div>
  );
}

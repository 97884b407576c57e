import { useEffect, useRef, useState } from "preact/hooks";
import type { InkMirror } from "../lib/client/ink_mirror.ts";
import { type Box, pickRendition } from "../lib/slides/renditions.ts";
import { cappedRenditions } from "../lib/client/profiles.ts";

export interface SlideViewProps {
  /** The presentation as the server sent it; this view redraws on its `onChange`. */
  mirror: InkMirror;
  /** The largest rendition to fetch (the viewer's profile); none: any. */
  maxBox?: Box;
}

/**
 * The slide and its ink drawn here, from data: the image that fits this
 * element (lib/slides/renditions.ts) and the ink on a canvas of the
 * element's own device pixels, so both stay sharp at any size. The board is
 * 16:9 like the presenter's; the slide sits fitted inside it. While the
 * presenter shares a screen, the latest board snapshot shows instead.
 */
export function SlideView({ mirror, maxBox }: SlideViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [, setVersion] = useState(0);
  const [size, setSize] = useState({ w: 0, h: 0 });

  useEffect(() => {
    // Preact batches the renders of one task; no animation frame (a background tab has none).
    mirror.onChange = () => setVersion((v) => v + 1);
    const el = box.current!;
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    return () => {
      mirror.onChange = () => {};
      observer.disconnect();
    };
  }, [mirror]);

  const dpr = globalThis.devicePixelRatio || 1;
  const board = mirror.board();
  useEffect(() => {
    const c = canvas.current!;
    const w = Math.max(1, Math.round(size.w * dpr)), h = Math.max(1, Math.round(size.h * dpr));
    if (c.width !== w || c.height !== h) Object.assign(c, { width: w, height: h });
    const ctx = c.getContext("2d")!;
    ctx.setTransform(w / board.width, 0, 0, h / board.height, 0, 0);
    board.redraw(ctx);
  });

  const renditions = maxBox ? cappedRenditions(mirror.renditions, maxBox) : mirror.renditions;
  const image = pickRendition(renditions, { w: size.w * dpr, h: size.h * dpr });
  return (
    <div
      class="slide-view"
      ref={box}
      data-testid="slide"
      data-slide-index={mirror.index}
      data-deck={mirror.deck ?? ""}
      data-strokes={board.strokes.length}
    >
      {mirror.snapshot && (
        <img
          src={mirror.snapshot}
          alt="The presenter's shared screen"
          data-testid="board-snapshot"
        />
      )}
      {image && !mirror.snapshot && (
        <img
          src={image.url}
          alt={`Slide ${mirror.index + 1} of ${mirror.count}`}
          data-testid="slide-image"
        />
      )}
      <canvas ref={canvas} aria-hidden="true" hidden={mirror.snapshot !== null} />
    </div>
  );
}

import { useEffect, useRef, useState } from "preact/hooks";
import {
  BOARD_COLOR,
  PEN_COLORS,
  PEN_WIDTHS,
  type Tool,
  Whiteboard,
} from "../lib/client/whiteboard.ts";
import { loadBoard, saveBoard } from "../lib/client/board_store.ts";
import type { InkSender } from "../lib/client/ink_sender.ts";
import { fitInside } from "../lib/slides/renditions.ts";

/** The page under the ink: a slide of a deck, or (deck null) the plain board. */
export interface BoardPage {
  deck: string | null;
  index: number;
  /** The slide image (fitting 1280×720), or null for the plain board. */
  image: string | null;
}

export interface BoardProps {
  /** Called once with the canvas, to capture it as the whiteboard track. */
  onCanvas: (canvas: HTMLCanvasElement) => void;
  /** While set, the canvas shows this screen share instead of the board. */
  screen: MediaStream | null;
  enabled: boolean;
  /** The room whose drawing this is: kept in localStorage so a reload brings it back. */
  roomId: string | null;
  /** The page shown; each page keeps its own ink. */
  page?: BoardPage;
  /** Sends the ink as data to viewers (null while not live). */
  ink?: InkSender | null;
  /** Goes up on every new publisher connection: the page's ink is sent whole again. */
  inkEpoch?: number;
}

const PLAIN: BoardPage = { deck: null, index: 0, image: null };

const WIDTH = 1280;
const HEIGHT = 720;
/** Repaint rate that keeps captureStream() producing frames while nobody draws. */
const FRAME_MS = 66;

/**
 * The whiteboard canvas (1280×720 pixels of its own, scaled by CSS) with its
 * tools. Pointer events give mouse, touch and pen with pressure. Every frame
 * flips one corner pixel by one shade: captureStream() only emits frames when
 * the canvas changes, and late joiners need a steady stream of keyframes.
 *
 * The ink lives on a transparent layer of its own (one Whiteboard per page)
 * composed over the page: the board colour, then the slide image if any. So
 * the eraser removes ink and never the slide, and the captured video shows
 * slide and ink together. Each step is also sent as data through `ink`.
 */
export function Board(
  { onCanvas, screen, enabled, roomId, page = PLAIN, ink = null, inkEpoch = 0 }: BoardProps,
) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const boards = useRef(new Map<string, Whiteboard>()).current;
  const pageKey = `${page.deck ?? ""}:${page.index}`;
  let board = boards.get(pageKey)!;
  if (!board) {
    board = new Whiteboard({ width: WIDTH, height: HEIGHT, transparent: true });
    boards.set(pageKey, board);
  }
  const layer = useRef<HTMLCanvasElement | null>(null);
  const image = useRef<HTMLImageElement | null>(null);
  const [tool, setTool] = useState<Tool>("pen");
  const [color, setColor] = useState<string>(PEN_COLORS[0]);
  const [width, setWidth] = useState<number>(PEN_WIDTHS[0]);
  const [, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);
  // No alpha: an opaque canvas records as plain video, without an alpha plane per frame.
  const ctx = () => canvasRef.current!.getContext("2d", { alpha: false })!;
  /** The ink layer's context (transparent). */
  const inkCtx = () => {
    if (!layer.current) {
      layer.current = document.createElement("canvas");
      layer.current.width = WIDTH;
      layer.current.height = HEIGHT;
    }
    return layer.current.getContext("2d")!;
  };
  /** Paints the page and the ink layer onto the board canvas. */
  const compose = () => {
    const c = ctx();
    c.fillStyle = BOARD_COLOR;
    c.fillRect(0, 0, WIDTH, HEIGHT);
    const img = image.current;
    if (img?.complete && img.naturalWidth > 0) {
      const fit = fitInside({ w: img.naturalWidth, h: img.naturalHeight }, { w: WIDTH, h: HEIGHT });
      c.drawImage(img, (WIDTH - fit.w) / 2, (HEIGHT - fit.h) / 2, fit.w, fit.h);
    }
    if (layer.current) c.drawImage(layer.current, 0, 0);
  };
  const redraw = () => {
    board.redraw(inkCtx());
    compose();
  };
  const storageKey = (key: string) => {
    const [deck, index] = key.split(":");
    return deck ? `${roomId}.${deck}.${index}` : roomId!;
  };

  useEffect(() => {
    redraw();
    onCanvas(canvasRef.current!);
  }, []);

  // Each page's ink comes back from storage the first time it is shown.
  const restored = useRef(new Set<string>()).current;
  useEffect(() => {
    if (!roomId) return;
    if (!restored.has(`${roomId}/${pageKey}`)) {
      restored.add(`${roomId}/${pageKey}`);
      board.restore(loadBoard(localStorage, storageKey(pageKey)));
    }
    redraw();
    bump();
  }, [roomId, pageKey]);
  const persist = () => roomId && saveBoard(localStorage, storageKey(pageKey), board.strokes);

  useEffect(() => {
    if (!page.image) {
      image.current = null;
      return redraw();
    }
    const img = new Image();
    img.onload = () => image.current === img && compose();
    img.src = page.image;
    image.current = img;
    compose();
  }, [page.image]);

  // Viewers get this page's ink whole once per connection, then step by step.
  useEffect(() => {
    if (!screen) ink?.sync(page.index, board.strokes, pageKey);
  }, [ink, inkEpoch, pageKey, screen]);

  // While a stroke is drawn, its points go out every ~100 ms even when the pen rests.
  useEffect(() => {
    if (!ink) return;
    const timer = setInterval(() => ink.tick(), 50);
    return () => clearInterval(timer);
  }, [ink]);

  useEffect(() => {
    const video = videoRef.current!;
    video.srcObject = screen;
    if (screen) video.play().catch(() => {});
    else redraw();
    let odd = false;
    const timer = setInterval(() => {
      const c = ctx();
      if (screen && video.videoWidth > 0) {
        const scale = Math.min(WIDTH / video.videoWidth, HEIGHT / video.videoHeight);
        const w = video.videoWidth * scale, h = video.videoHeight * scale;
        c.fillStyle = "#000";
        c.fillRect(0, 0, WIDTH, HEIGHT);
        c.drawImage(video, (WIDTH - w) / 2, (HEIGHT - h) / 2, w, h);
      }
      // No full repaint here: drawing, page and image changes compose at once,
      // and one flipped pixel is enough to keep captureStream() producing frames.
      odd = !odd;
      c.fillStyle = odd ? "#fbfaf6" : "#fbfaf5";
      c.fillRect(WIDTH - 1, HEIGHT - 1, 1, 1);
    }, FRAME_MS);
    return () => clearInterval(timer);
  }, [screen]);

  const point = (e: PointerEvent) => {
    const r = canvasRef.current!.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) * WIDTH) / r.width,
      y: ((e.clientY - r.top) * HEIGHT) / r.height,
      p: e.pointerType === "pen" ? e.pressure : 0.5,
    };
  };
  const drawing = enabled && !screen;
  const onDown = (e: PointerEvent) => {
    if (!drawing || e.button > 0) return;
    canvasRef.current!.setPointerCapture(e.pointerId);
    const w = tool === "eraser" ? width * 4 : width;
    const p = point(e);
    board.begin(tool, color, w, p, inkCtx());
    ink?.begin(page.index, tool, color, w, p);
    compose();
  };
  const onMove = (e: PointerEvent) => {
    if (!drawing || !board.drawing) return;
    const events = e.getCoalescedEvents?.() ?? [e];
    for (const ev of events.length ? events : [e]) {
      const p = point(ev);
      board.extend(p, inkCtx());
      ink?.extend(p);
    }
    compose();
  };
  const onUp = () => {
    if (board.drawing) ink?.end();
    board.end();
    persist();
    bump();
  };
  const act = (fn: () => boolean, op: "undo" | "redo" | "clear") => () => {
    if (fn()) ink?.step(page.index, op);
    redraw();
    persist();
    bump();
  };

  return (
    <div class="board-panel">
      <div class="toolbar board-tools" role="toolbar" aria-label="Whiteboard tools">
        <button
          type="button"
          class="button"
          aria-pressed={tool === "pen"}
          disabled={!drawing}
          onClick={() => setTool("pen")}
          data-testid="tool-pen"
        >
          ✎ Pen
        </button>
        <button
          type="button"
          class="button"
          aria-pressed={tool === "eraser"}
          disabled={!drawing}
          onClick={() => setTool("eraser")}
          data-testid="tool-eraser"
        >
          ⌫ Eraser
        </button>
        <span class="swatches">
          {PEN_COLORS.map((c) => (
            <button
              type="button"
              key={c}
              class="swatch"
              style={{ background: c }}
              aria-label={`Colour ${c}`}
              aria-pressed={tool === "pen" && color === c}
              disabled={!drawing}
              onClick={() => (setColor(c), setTool("pen"))}
            />
          ))}
        </span>
        <span class="swatches">
          {PEN_WIDTHS.map((w) => (
            <button
              type="button"
              key={w}
              class="swatch swatch-width"
              aria-label={`Width ${w}`}
              aria-pressed={width === w}
              disabled={!drawing}
              onClick={() => setWidth(w)}
            >
              <span style={{ width: `${w}px`, height: `${w}px` }} />
            </button>
          ))}
        </span>
        <span class="toolbar-spacer" />
        <button
          type="button"
          class="button"
          disabled={!drawing || !board.canUndo}
          onClick={act(() => board.undo(), "undo")}
          data-testid="undo"
        >
          ↶ Undo
        </button>
        <button
          type="button"
          class="button"
          disabled={!drawing || !board.canRedo}
          onClick={act(() => board.redo(), "redo")}
          data-testid="redo"
        >
          ↷ Redo
        </button>
        <button
          type="button"
          class="button"
          disabled={!drawing}
          onClick={act(() => board.clear(), "clear")}
          data-testid="clear"
        >
          Clear
        </button>
      </div>
      <canvas
        ref={canvasRef}
        class="board"
        width={WIDTH}
        height={HEIGHT}
        data-testid="whiteboard"
        data-mode={screen ? "screen" : "board"}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={onUp}
      />
      <video ref={videoRef} class="hidden-source" muted playsInline />
    </div>
  );
}

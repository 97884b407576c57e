import { useEffect, useRef, useState } from "preact/hooks";
import { PEN_COLORS, PEN_WIDTHS, type Tool, Whiteboard } from "../lib/client/whiteboard.ts";
import { loadBoard, saveBoard } from "../lib/client/board_store.ts";

export interface BoardProps {
  /** Called once with the canvas, to capture it as the whiteboard track. */
  onCanvas: (canvas: HTMLCanvasElement) => void;
  /** While set, the canvas shows this screen share instead of the board. */
  screen: MediaStream | null;
  enabled: boolean;
  /** The room whose drawing this is: kept in localStorage so a reload brings it back. */
  roomId: string | null;
}

const WIDTH = 1280;
const HEIGHT = 720;
/** Repaint rate that keeps captureStream() producing frames while nobody draws. */
const FRAME_MS = 66;

/**
 * The whiteboard canvas (1280×720 pixels of its own, scaled by CSS) with its
 * tools. Pointer events give mouse, touch and pen with pressure. Every frame
 * flips one corner pixel by one shade: captureStream() only emits frames when
 * the canvas changes, and late joiners need a steady stream of keyframes.
 */
export function Board({ onCanvas, screen, enabled, roomId }: BoardProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const board = useRef(new Whiteboard({ width: WIDTH, height: HEIGHT })).current;
  const [tool, setTool] = useState<Tool>("pen");
  const [color, setColor] = useState<string>(PEN_COLORS[0]);
  const [width, setWidth] = useState<number>(PEN_WIDTHS[0]);
  const [, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);
  // No alpha: an opaque canvas records as plain video, without an alpha plane per frame.
  const ctx = () => canvasRef.current!.getContext("2d", { alpha: false })!;

  useEffect(() => {
    board.redraw(ctx());
    onCanvas(canvasRef.current!);
  }, []);

  useEffect(() => {
    if (!roomId) return;
    board.restore(loadBoard(localStorage, roomId));
    board.redraw(ctx());
    bump();
  }, [roomId]);
  const persist = () => roomId && saveBoard(localStorage, roomId, board.strokes);

  useEffect(() => {
    const video = videoRef.current!;
    video.srcObject = screen;
    if (screen) video.play().catch(() => {});
    else board.redraw(ctx());
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
    board.begin(tool, color, tool === "eraser" ? width * 4 : width, point(e), ctx());
  };
  const onMove = (e: PointerEvent) => {
    if (!drawing || !board.drawing) return;
    const events = e.getCoalescedEvents?.() ?? [e];
    for (const ev of events.length ? events : [e]) board.extend(point(ev), ctx());
  };
  const onUp = () => {
    board.end();
    persist();
    bump();
  };
  const act = (fn: () => unknown) => () => {
    fn();
    board.redraw(ctx());
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
          onClick={act(() => board.undo())}
          data-testid="undo"
        >
          ↶ Undo
        </button>
        <button
          type="button"
          class="button"
          disabled={!drawing || !board.canRedo}
          onClick={act(() => board.redo())}
          data-testid="redo"
        >
          ↷ Redo
        </button>
        <button
          type="button"
          class="button"
          disabled={!drawing}
          onClick={act(() => board.clear())}
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

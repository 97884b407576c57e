/**
 * The DOM side of slide upload: the pages of a PDF (rendered by pdf.js in
 * this browser, loaded only when a PDF is chosen) or of image files, drawn
 * into canvases fitted inside each rendition box and encoded as WebP (JPEG
 * where the browser cannot encode WebP). lib/client/slides_api.ts uploads them.
 */
import { type Box, fitInside, RENDITION_BOXES } from "../slides/renditions.ts";
import { pdfWorkerUrl } from "./pdf_worker_url.ts";

/** One page: its natural size and how to draw it into a canvas of any size. */
export interface PageSource {
  w: number;
  h: number;
  draw(canvas: HTMLCanvasElement): Promise<void>;
}

const isPdf = (f: File) => f.type === "application/pdf" || /\.pdf$/i.test(f.name);

/** The pages of the chosen files: one PDF, or images in name order. */
export async function pagesOf(files: File[]): Promise<PageSource[]> {
  if (files.length === 1 && isPdf(files[0])) return await pdfPages(await files[0].arrayBuffer());
  if (files.some(isPdf)) throw new Error("choose one PDF, or image files only");
  const sorted = [...files].sort((a, b) =>
    a.name.localeCompare(b.name, undefined, { numeric: true })
  );
  return await Promise.all(sorted.map(async (file) => {
    if (!file.type.startsWith("image/")) throw new Error(`${file.name} is not a PDF or an image`);
    const bitmap = await createImageBitmap(file);
    return {
      w: bitmap.width,
      h: bitmap.height,
      draw: (canvas: HTMLCanvasElement) => {
        canvas.getContext("2d")!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return Promise.resolve();
      },
    };
  }));
}

async function pdfPages(data: ArrayBuffer): Promise<PageSource[]> {
  const pdfjs = await import("pdfjs-dist");
  pdfjs.GlobalWorkerOptions.workerSrc = pdfWorkerUrl();
  const doc = await pdfjs.getDocument({ data: new Uint8Array(data) }).promise;
  const pages: PageSource[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const natural = page.getViewport({ scale: 1 });
    pages.push({
      w: natural.width,
      h: natural.height,
      draw: async (canvas) => {
        const ctx = canvas.getContext("2d")!;
        ctx.fillStyle = "#fff";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        const viewport = page.getViewport({ scale: canvas.width / natural.width });
        await page.render({ canvas, canvasContext: ctx, viewport }).promise;
      },
    });
  }
  return pages;
}

/**
 * A renderer for `uploadDeck`: each page is drawn once at the largest box,
 * then scaled down for the smaller ones.
 */
export function renditionRenderer(pages: PageSource[]): (page: number, box: Box) => Promise<Blob> {
  let cached: { page: number; canvas: HTMLCanvasElement } | null = null;
  return async (page, box) => {
    const source = pages[page];
    if (cached?.page !== page) {
      const largest = fitInside(source, RENDITION_BOXES[RENDITION_BOXES.length - 1]);
      const canvas = document.createElement("canvas");
      canvas.width = largest.w;
      canvas.height = largest.h;
      await source.draw(canvas);
      cached = { page, canvas };
    }
    const size = fitInside(source, box);
    const out = document.createElement("canvas");
    out.width = size.w;
    out.height = size.h;
    const ctx = out.getContext("2d")!;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(cached.canvas, 0, 0, size.w, size.h);
    return await encode(out);
  };
}

async function encode(canvas: HTMLCanvasElement): Promise<Blob> {
  const blob = (type: string) =>
    new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.85));
  const webp = await blob("image/webp");
  if (webp?.type === "image/webp") return webp;
  const jpeg = await blob("image/jpeg");
  if (!jpeg) throw new Error("this browser could not encode the slide images");
  return jpeg;
}

/**
 * Where the pdf.js worker is served: a content-hashed asset whose URL the
 * build compiles into the islands (lib/build/assets_builder.ts, WORKERS).
 * Outside a build (unit tests) it is "".
 */
declare const CHALK_PDF_WORKER_URL: string | undefined;

export function pdfWorkerUrl(): string {
  return typeof CHALK_PDF_WORKER_URL === "string" ? CHALK_PDF_WORKER_URL : "";
}

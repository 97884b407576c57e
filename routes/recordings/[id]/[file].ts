import type { HandlerContext, Handlers } from "../../../lib/web/context.ts";
import { fileResponse } from "../../../lib/record/file_response.ts";
import { NotFoundError } from "../../../lib/errors.ts";

/** A track part of a recording (`camera.webm`, `camera-2.webm`), with byte ranges and ETag. */
async function serve(req: Request, ctx: HandlerContext): Promise<Response> {
  const { recordings } = ctx.state;
  const meta = await recordings.get(ctx.params.id);
  const file = ctx.params.file;
  const part = meta.parts.find((p) => p.file === file);
  if (!part) {
    const names = meta.parts.map((p) => p.file).join(", ") || "no files yet";
    throw new NotFoundError(`this recording has no file "${file.slice(0, 60)}"; it has ${names}`);
  }
  // A finished file never changes; a growing one must be revalidated.
  const cache = meta.live ? "no-cache" : "public, max-age=3600";
  return fileResponse(req, `${recordings.dir(meta.id)}/${part.file}`, part.mime, cache);
}

export const handler: Handlers = { GET: serve, HEAD: serve };

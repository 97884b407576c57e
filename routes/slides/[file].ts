import type { Handlers } from "../../lib/web/context.ts";
import { slideImageResponse } from "../../lib/api/slides.ts";
import { NotFoundError } from "../../lib/errors.ts";

/** A stored slide image; its name is its content hash, so it is cached for good. */
export const handler: Handlers = {
  async GET(req, ctx) {
    const file = ctx.params.file;
    const image = await ctx.state.decks.read(file);
    if (!image) throw new NotFoundError("no such slide image");
    return slideImageResponse(req, image, `"${file.slice(0, 20)}"`);
  },
};

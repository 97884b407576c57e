import type { Handlers } from "../../../lib/web/context.ts";
import { lessonZip } from "../../../lib/replay/lesson_zip.ts";
import assets from "../../../_build/assets.gen.ts";

export const handler: Handlers = {
  /** The whole lesson in one file that replays offline (docs/recording.md, "Export"). */
  async GET(_req, ctx) {
    const zip = await lessonZip(ctx.state.recordings, ctx.params.id, assets);
    return new Response(zip.body, {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${zip.fileName}"`,
        "cache-control": "no-store",
      },
    });
  },
};

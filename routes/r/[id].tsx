import Replay from "../../islands/Replay.tsx";
import { Head } from "../../lib/web/head.ts";
import type { Handlers, PageProps } from "../../lib/web/context.ts";
import { recordingView } from "../../lib/record/recording_view.ts";
import { parseRecording, type RecordingInfo } from "../../lib/replay/recording.ts";

export const handler: Handlers<RecordingInfo | null> = {
  async GET(_req, ctx) {
    const meta = await ctx.state.recordings.find(ctx.params.id);
    if (!meta) return ctx.render(null, { status: 404 });
    return ctx.render(parseRecording(recordingView(meta)));
  },
};

/** The replay of recorded lesson `id`, or a 404 page that says the lesson is gone. */
export default function ReplayPage({ data, params }: PageProps<RecordingInfo | null>) {
  if (!data) {
    return (
      <section class="empty" data-testid="replay-not-found">
        <Head>
          <title>Lesson not found · Chalkcast</title>
        </Head>
        <h1>No such lesson</h1>
        <p>
          There is no recorded lesson{" "}
          <code>{params.id}</code>. It may have been deleted, or kept only for a limited time. Check
          the link, or see the recent lessons.
        </p>
        <p>
          <a class="button" href="/">Recent lessons</a>
        </p>
      </section>
    );
  }
  return (
    <>
      <Head>
        <title>{data.title} · Replay · Chalkcast</title>
      </Head>
      <Replay recording={data} />
    </>
  );
}

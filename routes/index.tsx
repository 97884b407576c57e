import Directory from "../islands/Directory.tsx";
import { liveRooms, type RoomSummary } from "../lib/api/room_view.ts";
import { recordingView } from "../lib/record/recording_view.ts";
import { parseRecording, type RecordingInfo } from "../lib/replay/recording.ts";
import type { Handlers, PageProps } from "../lib/web/context.ts";
import { Head } from "../lib/web/head.ts";

interface Data {
  rooms: RoomSummary[];
  lessons: RecordingInfo[];
}

/** Recent lessons the home page lists. */
const RECENT = 12;

export const handler: Handlers<Data> = {
  async GET(_req, ctx) {
    const lessons = (await ctx.state.recordings.list())
      .filter((meta) => !meta.unlisted)
      .slice(0, RECENT)
      .map((meta) => parseRecording(recordingView(meta))!);
    return ctx.render({
      rooms: liveRooms(ctx.state.hub, ctx.state.snapshots, ctx.url.origin),
      lessons,
    });
  },
};

/** Live rooms and recent lessons: rendered as of now, then kept fresh by the island. */
export default function DirectoryPage({ data }: PageProps<Data>) {
  return (
    <section>
      <Head>
        <title>Live rooms · Chalkcast</title>
      </Head>
      <h1>Live rooms</h1>
      <Directory rooms={data?.rooms ?? []} lessons={data?.lessons ?? []} />
    </section>
  );
}

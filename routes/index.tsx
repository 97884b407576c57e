import Directory from "../islands/Directory.tsx";
import { liveRooms, type RoomSummary } from "../lib/api/room_view.ts";
import type { Handlers, PageProps } from "../lib/web/context.ts";
import { Head } from "../lib/web/head.ts";

export const handler: Handlers<RoomSummary[]> = {
  GET(_req, ctx) {
    return ctx.render(liveRooms(ctx.state.hub, ctx.state.snapshots, ctx.url.origin));
  },
};

/** The directory of live rooms: rendered with the rooms of the moment, then kept fresh. */
export default function DirectoryPage({ data }: PageProps<RoomSummary[]>) {
  return (
    <section>
      <Head>
        <title>Live rooms · Chalkcast</title>
      </Head>
      <h1>Live rooms</h1>
      <Directory rooms={data ?? []} />
    </section>
  );
}

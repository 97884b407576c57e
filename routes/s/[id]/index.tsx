import Viewer from "../../../islands/Viewer.tsx";
import { Head } from "../../../lib/web/head.ts";
import type { PageProps } from "../../../lib/web/context.ts";
import { requestedProfile } from "../../../lib/client/profiles.ts";

/** A viewer's page for room `id`. */
export default function WatchPage({ params, url }: PageProps) {
  return (
    <>
      <Head>
        <title>Watch · Chalkcast</title>
      </Head>
      <Viewer roomId={params.id} profile={requestedProfile(url.search)} />
    </>
  );
}

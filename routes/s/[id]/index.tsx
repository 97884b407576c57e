import Viewer from "../../../islands/Viewer.tsx";
import { Head } from "../../../lib/web/head.ts";
import type { PageProps } from "../../../lib/web/context.ts";

/** A viewer's page for room `id`. */
export default function WatchPage({ params }: PageProps) {
  return (
    <>
      <Head>
        <title>Watch · Chalkcast</title>
      </Head>
      <Viewer roomId={params.id} />
    </>
  );
}

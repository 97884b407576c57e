import { Head } from "../lib/web/head.ts";
import type { PageProps } from "../lib/web/context.ts";

/** The styled page for any unknown path. */
export default function NotFound({ url }: PageProps) {
  return (
    <section class="empty" data-testid="not-found">
      <Head>
        <title>Not found · Chalkcast</title>
      </Head>
      <h1>Nothing here</h1>
      <p>
        There is no page at{" "}
        <code>{url.pathname}</code>. Check the link, or see the rooms that are live now.
      </p>
      <p>
        <a class="button" href="/">Live rooms</a>
      </p>
    </section>
  );
}

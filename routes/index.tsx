import { Head } from "../lib/web/head.ts";

/** The directory of live rooms. */
export default function Directory() {
  return (
    <section>
      <Head>
        <title>Live rooms · Chalkcast</title>
      </Head>
      <h1>Live rooms</h1>
      <div class="empty" data-testid="directory-empty">
        <p>No one is live right now.</p>
        <p>
          <a class="button button-primary" href="/studio">Start presenting</a>
        </p>
      </div>
    </section>
  );
}

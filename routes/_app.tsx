import type { AppProps } from "../lib/web/render.ts";

/** The document shell around every page. */
export default function App({ Component, asset }: AppProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <link rel="icon" href={asset("/favicon.svg")} type="image/svg+xml" />
        <link rel="stylesheet" href={asset("/styles.css")} />
        <link rel="stylesheet" href={asset("/chat.css")} />
        <link rel="stylesheet" href={asset("/replay.css")} />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/">
            <img src={asset("/favicon.svg")} alt="" width="28" height="28" />
            Chalkcast
          </a>
          <nav>
            <a href="/">Live rooms</a>
            <a href="/studio" class="button button-primary">Go live</a>
          </nav>
        </header>
        <main>
          <Component />
        </main>
      </body>
    </html>
  );
}

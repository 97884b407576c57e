/**
 * Renders a page component into a complete HTML document: the app shell
 * (`routes/_app.tsx`), what `<Head>` collected, and one module script per
 * island the page used. Nothing else ships JavaScript.
 */
import { type ComponentType, Fragment, h } from "preact";
import { renderToString } from "preact-render-to-string";
import { collectHead } from "./head.ts";
import { collectIslands } from "./island.ts";
import type { AssetTable } from "./assets.ts";
import type { PageProps } from "./context.ts";

export interface AppProps {
  // deno-lint-ignore no-explicit-any
  Component: ComponentType<any>;
  url: URL;
  asset: (path: string) => string;
}

export interface PageRequest {
  // deno-lint-ignore no-explicit-any
  page: ComponentType<PageProps<any>>;
  app?: ComponentType<AppProps>;
  props: PageProps<unknown>;
  assets: AssetTable;
  status?: number;
  headers?: HeadersInit;
}

function DefaultApp({ Component }: AppProps) {
  return h("html", { lang: "en" }, h("head", null), h("body", null, h(Component, null)));
}

/** The HTML document for a page, as a Response. */
export function renderPage(req: PageRequest): Response {
  const App = req.app ?? DefaultApp;
  const asset = (path: string) => req.assets.url(path);
  const Component = () => h(req.page, req.props);
  const { result: { result: body, head }, islands } = collectIslands(() =>
    collectHead(() => renderToString(h(App, { Component, url: req.props.url, asset })))
  );
  const scripts = islands
    .map((name) => req.assets.islandScript(name))
    .filter((src): src is string => src !== undefined)
    .map((src) => `<script type="module" src="${src}"></script>`)
    .join("");
  const headHtml = head.map((children) => renderToString(h(Fragment, null, children))).join("") +
    scripts;
  const html = "<!DOCTYPE html>" + body.replace("</head>", headHtml + "</head>");
  const headers = new Headers(req.headers);
  headers.set("content-type", "text/html; charset=utf-8");
  return new Response(html, { status: req.status ?? 200, headers });
}

/**
 * The request handler: the origin check first (lib/web/origin.ts: the one
 * place every request passes), then assets, then the route table. Maps
 * handler results and thrown errors to responses (JSON for every `/api/`
 * error, 404 and 405 included) and puts security headers on all of them.
 * Independent of how it is served (Deno.serve, tests calling it directly).
 */
import type { ComponentType } from "preact";
import { type AssetTable, serveAsset } from "./assets.ts";
import type { Handler, HandlerContext, Method, PageProps } from "./context.ts";
import { applySecurityHeaders } from "./headers.ts";
import { registerIslands } from "./island.ts";
import { islandName, type Manifest } from "./manifest.ts";
import { type AppProps, renderPage } from "./render.ts";
import { allowedMethods, buildRoutes, matchRoute, type Route } from "./router.ts";
import type { AppState } from "../state.ts";
import { errorResponse, jsonError } from "./error_response.ts";
import { originRefusal } from "./origin.ts";
import { clientAddress } from "./client.ts";

export type RequestHandler = (req: Request, info?: Deno.ServeHandlerInfo) => Promise<Response>;

// deno-lint-ignore no-explicit-any
type Page = ComponentType<PageProps<any>>;

/** Builds the handler for a manifest, its built assets and the app's services. */
export function createHandler(
  manifest: Manifest,
  assets: AssetTable,
  state: AppState,
): RequestHandler {
  registerIslands(
    Object.fromEntries(
      Object.entries(manifest.islands).map(([file, mod]) => [islandName(file), mod.default]),
    ),
  );
  const table = buildRoutes(manifest.routes);
  const special = (name: string) => manifest.routes[`./routes/${name}.tsx`]?.default;
  const app = special("_app") as ComponentType<AppProps> | undefined;
  const notFoundPage = special("_404") as Page | undefined;

  const page = (component: Page | undefined, props: PageProps<unknown>, status = 200) =>
    renderPage({
      page: component ?? (() => null),
      app,
      props,
      assets,
      status,
    });

  const notFound = (url: URL) => {
    if (isApi(url)) {
      return jsonError(
        404,
        "not-found",
        `no API at ${url.pathname.slice(0, 200)}; see docs/api.md for the endpoints`,
      );
    }
    return notFoundPage
      ? page(notFoundPage, { url, params: {}, data: undefined }, 404)
      : new Response("Not found", { status: 404 });
  };

  const { allowedOrigins, trustProxy } = state.config;

  async function dispatch(req: Request, url: URL, info?: Deno.ServeHandlerInfo): Promise<Response> {
    const refusal = originRefusal(req, { allowed: allowedOrigins, trustProxy });
    if (refusal !== null) return jsonError(403, "forbidden", refusal);
    if (req.method === "GET" || req.method === "HEAD") {
      const asset = assets.get(url.pathname);
      if (asset) return serveAsset(req, asset);
    }
    const match = matchRoute(table, url.pathname);
    if (match.kind === "not-found") return notFound(url);
    const { route, params } = match;
    const remoteAddr = info?.remoteAddr && info.remoteAddr.transport === "tcp"
      ? info.remoteAddr
      : null;
    const ctx: HandlerContext<unknown> = {
      params,
      url,
      state,
      remoteAddr,
      client: clientAddress(req, remoteAddr, trustProxy),
      render: (data, init) => {
        const res = page(route.module.default as Page, { url, params, data }, init?.status);
        if (init?.headers) new Headers(init.headers).forEach((v, k) => res.headers.set(k, v));
        return res;
      },
      renderNotFound: () => notFound(url),
    };
    const handler = pickHandler(route, req.method);
    if (handler === "method-not-allowed") {
      const allow = allowedMethods(route.module).join(", ");
      return jsonError(
        405,
        "method-not-allowed",
        `method ${req.method.slice(0, 20)} is not allowed on ${
          url.pathname.slice(0, 200)
        }; use ${allow}`,
        { allow },
      );
    }
    const res = await handler(req, ctx);
    return req.method === "HEAD" && res.body ? new Response(null, res) : res;
  }

  return async (req, info) => {
    const url = new URL(req.url);
    let res: Response;
    try {
      res = await dispatch(req, url, info);
    } catch (err) {
      res = errorResponse(err, state.log);
    }
    return withSecurityHeaders(res);
  };
}

/** `/api` and everything under it answers errors in JSON, never an HTML page. */
function isApi(url: URL): boolean {
  return url.pathname === "/api" || url.pathname.startsWith("/api/");
}

function pickHandler(route: Route, method: string): Handler<unknown> | "method-not-allowed" {
  const { handler, default: component } = route.module;
  if (typeof handler === "function") return handler;
  const lookup = method === "HEAD" ? "GET" : method;
  const perMethod = handler?.[lookup as Method];
  if (perMethod) return perMethod;
  if (component && lookup === "GET") return (_req, ctx) => ctx.render(undefined);
  return "method-not-allowed";
}

function withSecurityHeaders(res: Response): Response {
  if (res.status === 101) return res; // WebSocket upgrade: headers belong to the handshake
  try {
    applySecurityHeaders(res.headers);
    return res;
  } catch {
    // Immutable headers (e.g. Response.redirect): copy into a fresh response.
    const copy = new Response(res.body, { status: res.status, headers: new Headers(res.headers) });
    applySecurityHeaders(copy.headers);
    return copy;
  }
}

/**
 * Handler and page types of the Fresh 1.x model: a route exports `handler`
 * (one function, or one per HTTP method) and a default page component that
 * receives `PageProps`. Handlers answer with a Response or `ctx.render(data)`.
 */
import type { AppState } from "../state.ts";

export interface HandlerContext<Data = unknown> {
  params: Record<string, string>;
  url: URL;
  state: AppState;
  remoteAddr: Deno.NetAddr | null;
  /** The client's address for per-client limits (lib/web/client.ts; honours --trust-proxy). */
  client: string;
  /** Render the route's page component with `data`. */
  render(data?: Data, init?: ResponseInit): Response | Promise<Response>;
  /** Render the styled 404 page. */
  renderNotFound(): Response | Promise<Response>;
}

export type Handler<Data = unknown> = (
  req: Request,
  ctx: HandlerContext<Data>,
) => Response | Promise<Response>;

export type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

export type Handlers<Data = unknown> = Partial<Record<Method, Handler<Data>>>;

export interface PageProps<Data = unknown> {
  url: URL;
  params: Record<string, string>;
  data: Data;
}

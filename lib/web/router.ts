/**
 * File-system routing: "routes/s/[id]/index.tsx" serves "/s/:id". Static
 * segments win over parameters, parameters over catch-alls, so the order of
 * files never decides which route answers.
 */
import type { RouteModule } from "./manifest.ts";

export interface Route {
  /** URL pattern in URLPattern syntax, e.g. "/s/:id/:track/live". */
  pattern: string;
  file: string;
  module: RouteModule;
  matcher: URLPattern;
  rank: number[];
}

export type Match =
  | { kind: "found"; route: Route; params: Record<string, string> }
  | { kind: "not-found" };

/** "./routes/s/[id]/index.tsx" → "/s/:id"; null for special files like "_app.tsx". */
export function patternFor(file: string): string | null {
  const rel = file.replace(/^\.?\/?routes\//, "").replace(/\.(tsx|ts|jsx|js)$/, "");
  const parts = rel.split("/");
  if (parts.some((p) => p.startsWith("_"))) return null;
  if (parts[parts.length - 1] === "index") parts.pop();
  const segments = parts.map((p) => {
    const rest = p.match(/^\[\.\.\.(\w+)\]$/);
    if (rest) return `:${rest[1]}*`;
    return p.replace(/\[(\w+)\]/g, ":$1");
  });
  return "/" + segments.join("/");
}

// 0 = static, 1 = has a parameter, 2 = catch-all; compared segment by segment.
function rankOf(pattern: string): number[] {
  return pattern.split("/").filter(Boolean).map((s) =>
    s.endsWith("*") ? 2 : s.includes(":") ? 1 : 0
  );
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return b.length - a.length;
}

/** Builds the route table from the manifest's route modules. */
export function buildRoutes(routes: Record<string, RouteModule>): Route[] {
  const table: Route[] = [];
  for (const [file, module] of Object.entries(routes)) {
    const pattern = patternFor(file);
    if (pattern === null) continue;
    table.push({
      pattern,
      file,
      module,
      matcher: new URLPattern({ pathname: pattern }),
      rank: rankOf(pattern),
    });
  }
  return table.sort((a, b) => compareRank(a.rank, b.rank));
}

/** The first route whose pattern matches the path, with decoded parameters. */
export function matchRoute(table: Route[], pathname: string): Match {
  for (const route of table) {
    const m = route.matcher.exec({ pathname });
    if (m) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.pathname.groups)) {
        if (v !== undefined) params[k] = v;
      }
      return { kind: "found", route, params };
    }
  }
  return { kind: "not-found" };
}

/** Methods a route answers: its handler's methods, plus GET and HEAD for a page. */
export function allowedMethods(module: RouteModule): string[] {
  const handler = module.handler;
  if (typeof handler === "function") return ["*"];
  const methods = new Set(Object.keys(handler ?? {}));
  if (module.default || methods.has("GET")) {
    methods.add("GET");
    methods.add("HEAD");
  }
  return [...methods].sort();
}

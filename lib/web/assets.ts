/**
 * Built assets: island bundles and the files of static/, turned into a
 * generated module by `deno task build` so the server reads no file at run
 * time. Hashed names are cached forever; the rest revalidate with ETag.
 */

export interface AssetFile {
  path: string;
  type: string;
  etag: string;
  immutable: boolean;
  /** Text content, or base64 for binary files. */
  text?: string;
  base64?: string;
}

export interface BuiltAssets {
  files: AssetFile[];
  /** Island name → script URL. */
  islands: Record<string, string>;
  /** Static path ("/styles.css") → its content-hashed URL. */
  hashed: Record<string, string>;
}

export interface AssetTable {
  get(path: string): { file: AssetFile; body: Uint8Array<ArrayBuffer> } | undefined;
  islandScript(name: string): string | undefined;
  /** The cache-busting URL of a static file; the plain path if unknown. */
  url(path: string): string;
}

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Decodes every asset once at start-up. */
export function createAssetTable(built: BuiltAssets): AssetTable {
  const enc = new TextEncoder();
  const table = new Map<string, { file: AssetFile; body: Uint8Array<ArrayBuffer> }>();
  for (const file of built.files) {
    const body = file.base64 !== undefined
      ? decodeBase64(file.base64)
      : enc.encode(file.text ?? "");
    table.set(file.path, { file, body });
  }
  return {
    get: (path) => table.get(path),
    islandScript: (name) => built.islands[name],
    url: (path) => built.hashed[path] ?? path,
  };
}

/** Answers a request for an asset: 200, 304 on a matching ETag, HEAD without body. */
export function serveAsset(
  req: Request,
  asset: { file: AssetFile; body: Uint8Array<ArrayBuffer> },
): Response {
  const headers = new Headers({
    "content-type": asset.file.type,
    etag: asset.file.etag,
    "cache-control": asset.file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
  });
  const inm = req.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim() === asset.file.etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(asset.body.byteLength));
  return new Response(req.method === "HEAD" ? null : asset.body, { headers });
}

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  html: "text/html; charset=utf-8",
  json: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  ico: "image/x-icon",
  txt: "text/plain; charset=utf-8",
  woff2: "font/woff2",
  webmanifest: "application/manifest+json",
};

/** Content type by file extension; unknown ones are served as bytes. */
export function contentType(path: string): string {
  const ext = path.split(".").pop()?.toLowerCase() ?? "";
  return TYPES[ext] ?? "application/octet-stream";
}

export function isTextType(type: string): boolean {
  return type.startsWith("text/") || type.includes("json") || type.includes("svg");
}

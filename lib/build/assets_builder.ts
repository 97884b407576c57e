/**
 * Builds the browser side: esbuild bundles one entry per island (code
 * splitting, minified, content-hashed names) and every file of static/ gets a
 * content hash. The result is a TypeScript module (`_build/assets.gen.ts`) so
 * the server, a `deno bundle` output or a compiled binary carry their assets.
 * Runs at build time only: the server never imports this file.
 */
import * as esbuild from "esbuild";
import { type AssetFile, type BuiltAssets, contentType, isTextType } from "../web/assets.ts";
import { islandName } from "../web/manifest.ts";

export interface BuildOptions {
  root: string;
  islandFiles: string[];
  staticFiles: string[];
  /**
   * Classic (non-module) scripts bundled whole, served at `path` and read by
   * the server, e.g. the exported lesson's player, which runs from `file://`.
   */
  standalone?: Array<{ entry: string; path: string }>;
  minify?: boolean;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new Uint8Array(bytes));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

async function assetFile(path: string, bytes: Uint8Array, immutable: boolean): Promise<AssetFile> {
  const type = contentType(path);
  const etag = `"${(await sha256Hex(bytes)).slice(0, 20)}"`;
  const file: AssetFile = { path, type, etag, immutable };
  if (isTextType(type)) file.text = new TextDecoder().decode(bytes);
  else file.base64 = toBase64(bytes);
  return file;
}

/**
 * Web workers that islands start, bundled as assets of their own. Each is
 * built first; its content-hashed URL is then compiled into the islands as
 * the global `define` named here (e.g. lib/client/pdf_pages.ts reads
 * `CHALK_PDF_WORKER_URL`), so no page needs to be told where it is.
 */
const WORKERS = [
  {
    define: "CHALK_PDF_WORKER_URL",
    entry: "pdfjs-dist/build/pdf.worker.min.mjs",
    name: "pdf-worker",
  },
];

async function buildWorkers(
  root: string,
): Promise<{ files: AssetFile[]; define: Record<string, string> }> {
  const files: AssetFile[] = [];
  const define: Record<string, string> = {};
  for (const worker of WORKERS) {
    const result = await esbuild.build({
      entryPoints: [{ in: worker.entry, out: worker.name }],
      bundle: true,
      format: "esm",
      platform: "browser",
      // Already minified upstream; a second pass only costs build time.
      minify: false,
      entryNames: "[name]-[hash]",
      outdir: `${root}/_build/out`,
      absWorkingDir: root,
      write: false,
      legalComments: "none",
      logLevel: "silent",
    });
    const out = result.outputFiles[0];
    const path = `/_chalk/${out.path.split("/").pop()!.replace(/\.mjs$/, ".js")}`;
    files.push(await assetFile(path, out.contents, true));
    define[worker.define] = JSON.stringify(path);
  }
  return { files, define };
}

/** Bundles the islands and hashes static files; returns the asset description. */
export async function buildAssets(options: BuildOptions): Promise<BuiltAssets> {
  const { root } = options;
  const workers = await buildWorkers(root);
  const names = new Map(options.islandFiles.map((f) => [islandName(f), f]));
  const entryPlugin: esbuild.Plugin = {
    name: "chalk-island-entries",
    setup(build) {
      build.onResolve({ filter: /^chalk-island:/ }, (args) => ({
        path: args.path.slice("chalk-island:".length),
        namespace: "chalk-island",
      }));
      build.onLoad({ filter: /.*/, namespace: "chalk-island" }, (args) => ({
        contents: [
          `import component from ${JSON.stringify(`${root}/${names.get(args.path)}`)};`,
          `import { hydrateIsland } from ${JSON.stringify(`${root}/lib/web/hydrate.ts`)};`,
          `hydrateIsland(${JSON.stringify(args.path)}, component);`,
        ].join("\n"),
        loader: "ts",
        resolveDir: root,
      }));
    },
  };
  const result = await esbuild.build({
    entryPoints: [...names.keys()].map((name) => ({ in: `chalk-island:${name}`, out: name })),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: ["chrome109", "firefox115", "safari16"],
    minify: options.minify ?? true,
    jsx: "automatic",
    jsxImportSource: "preact",
    entryNames: "island-[name]-[hash]",
    chunkNames: "chunk-[hash]",
    outdir: `${root}/_build/out`,
    absWorkingDir: root,
    write: false,
    metafile: true,
    legalComments: "none",
    plugins: [entryPlugin],
    define: workers.define,
    logLevel: "silent",
  });
  const standalone = await Promise.all((options.standalone ?? []).map(async ({ entry, path }) => {
    const built = await esbuild.build({
      entryPoints: [`${root}/${entry}`],
      bundle: true,
      format: "iife",
      platform: "browser",
      target: ["chrome109", "firefox115", "safari16"],
      minify: options.minify ?? true,
      jsx: "automatic",
      jsxImportSource: "preact",
      absWorkingDir: root,
      write: false,
      legalComments: "none",
      logLevel: "silent",
    });
    return assetFile(path, built.outputFiles[0].contents, false);
  }));
  await esbuild.stop();

  const files: AssetFile[] = [...workers.files];
  const islands: Record<string, string> = {};
  for (const out of result.outputFiles) {
    const name = out.path.split("/").pop()!;
    files.push(await assetFile(`/_chalk/${name}`, out.contents, true));
    const meta = result.metafile.outputs[`_build/out/${name}`];
    if (meta?.entryPoint?.startsWith("chalk-island:")) {
      islands[meta.entryPoint.slice("chalk-island:".length)] = `/_chalk/${name}`;
    }
  }
  files.push(...standalone);
  const hashed: Record<string, string> = {};
  for (const rel of options.staticFiles) {
    const bytes = await Deno.readFile(`${root}/static/${rel}`);
    const plain = await assetFile(`/${rel}`, bytes, false);
    const hash = plain.etag.slice(1, 13);
    const dot = rel.lastIndexOf(".");
    const hashedPath = `/_chalk/s/${
      dot > 0 ? `${rel.slice(0, dot)}-${hash}${rel.slice(dot)}` : `${rel}-${hash}`
    }`;
    files.push(plain, { ...plain, path: hashedPath, immutable: true });
    hashed[`/${rel}`] = hashedPath;
  }
  return { files, islands, hashed };
}

/** The generated module's source text. */
export function assetsModuleSource(built: BuiltAssets): string {
  return [
    "// DO NOT EDIT. Generated by `deno task build` (scripts/build.ts); not committed.",
    'import type { BuiltAssets } from "../lib/web/assets.ts";',
    "",
    `const assets: BuiltAssets = ${JSON.stringify(built, null, 1)};`,
    "",
    "export default assets;",
    "",
  ].join("\n");
}

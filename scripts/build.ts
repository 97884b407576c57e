/** `deno task build`: regenerates the manifest and bundles assets into _build/assets.gen.ts. */
import { assetsModuleSource, buildAssets } from "../lib/build/assets_builder.ts";
import { listFiles } from "../lib/build/files.ts";
import { manifestSource } from "./manifest.ts";
import { OFFLINE_PLAYER_PATH } from "../lib/replay/lesson_export.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

export async function build(): Promise<void> {
  const manifest = await manifestSource();
  if (await Deno.readTextFile(`${root}/fresh.gen.ts`).catch(() => "") !== manifest) {
    await Deno.writeTextFile(`${root}/fresh.gen.ts`, manifest);
  }
  const built = await buildAssets({
    root,
    islandFiles: (await listFiles(`${root}/islands`)).map((f) => `islands/${f}`)
      .filter((f) => /\.(tsx|ts)$/.test(f) && !f.includes("_test.")),
    staticFiles: await listFiles(`${root}/static`),
    standalone: [{ entry: "lib/build/offline_player_entry.tsx", path: OFFLINE_PLAYER_PATH }],
  });
  await Deno.mkdir(`${root}/_build`, { recursive: true });
  const source = assetsModuleSource(built);
  const path = `${root}/_build/assets.gen.ts`;
  if (await Deno.readTextFile(path).catch(() => "") !== source) {
    await Deno.writeTextFile(path, source);
  }
  const bytes = built.files.reduce((n, f) => n + (f.text?.length ?? f.base64?.length ?? 0), 0);
  console.log(`built ${built.files.length} assets (${Math.round(bytes / 1024)} KiB)`);
}

if (import.meta.main) await build();

/**
 * Writes fresh.gen.ts from routes/ and islands/. With --check, writes nothing
 * and exits 1 when the committed manifest is stale.
 */
import { listFiles } from "../lib/build/files.ts";
import { generateManifest } from "../lib/web/manifest.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

export async function manifestSource(): Promise<string> {
  const routes = (await listFiles(`${root}/routes`)).map((f) => `routes/${f}`);
  const islands = (await listFiles(`${root}/islands`)).map((f) => `islands/${f}`);
  return generateManifest(routes, islands);
}

if (import.meta.main) {
  const source = await manifestSource();
  const path = `${root}/fresh.gen.ts`;
  const current = await Deno.readTextFile(path).catch(() => "");
  if (Deno.args.includes("--check")) {
    if (current !== source) {
      console.error("fresh.gen.ts is stale: run `deno task manifest` and commit it");
      Deno.exit(1);
    }
  } else if (current !== source) {
    await Deno.writeTextFile(path, source);
    console.log("wrote fresh.gen.ts");
  }
}

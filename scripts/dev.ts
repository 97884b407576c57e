/**
 * `deno task dev`: builds, then serves; `--watch` restarts this script (and so
 * rebuilds) whenever routes/, islands/, lib/ or static/ change.
 */
import { build } from "./build.ts";

await build();
const { default: manifest } = await import("../fresh.gen.ts");
const { default: assets } = await import("../_build/assets.gen.ts");
const { parseConfig } = await import("../lib/config.ts");
const { start } = await import("../lib/server.ts");

const parsed = parseConfig(Deno.args, Deno.env.toObject());
if (parsed.kind === "run") {
  await start(manifest, assets, parsed.config, {
    onListen: (origin) => console.log(`dev server: ${origin}/studio (rebuilds on change)`),
  });
}

/** Chalkcast server entry: parse flags, start, log where to go. */
import manifest from "./fresh.gen.ts";
import assets from "./_build/assets.gen.ts";
import { ConfigError, parseConfig, USAGE } from "./lib/config.ts";
import { start, VERSION } from "./lib/server.ts";

if (import.meta.main) {
  try {
    const parsed = parseConfig(Deno.args, Deno.env.toObject());
    if (parsed.kind === "help") console.log(USAGE);
    else if (parsed.kind === "version") console.log(`chalkcast ${VERSION}`);
    else {
      await start(manifest, assets, parsed.config, {
        onListen: (origin) =>
          console.log(
            `Chalkcast ${VERSION} listening: studio ${origin}/studio, directory ${origin}/`,
          ),
      });
    }
  } catch (err) {
    if (err instanceof ConfigError) console.error(`chalkcast: ${err.message}`);
    else if (err instanceof Deno.errors.AddrInUse) {
      console.error(`chalkcast: port is already in use: ${err.message} (pick another with --port)`);
    } else if (err instanceof Deno.errors.PermissionDenied) {
      console.error(`chalkcast: permission denied: ${err.message}`);
    } else throw err;
    Deno.exit(2);
  }
}

/** Chalkcast server entry: parse flags, start, log where to go. */
import manifest from "./fresh.gen.ts";
import assets from "./_build/assets.gen.ts";
import { ConfigError, parseConfig, USAGE } from "./lib/config.ts";
import { start, VERSION } from "./lib/server.ts";

/** The origin on each of this machine's LAN addresses (IPv4), for a presenter's other devices. */
function lanOrigins(origin: string): string[] {
  const url = new URL(origin);
  try {
    return Deno.networkInterfaces()
      .filter((nic) => nic.family === "IPv4" && !nic.address.startsWith("127."))
      .map((nic) => `${url.protocol}//${nic.address}:${url.port}`);
  } catch {
    return []; // no --allow-sys: the localhost origin is enough to start with
  }
}

if (import.meta.main) {
  try {
    const parsed = parseConfig(Deno.args, Deno.env.toObject());
    if (parsed.kind === "help") console.log(USAGE);
    else if (parsed.kind === "version") console.log(`chalkcast ${VERSION}`);
    else {
      const { host } = parsed.config;
      await start(manifest, assets, parsed.config, {
        onListen: (origin) => {
          const others = host === "0.0.0.0" || host === "::" ? lanOrigins(origin) : [];
          console.log(
            `Chalkcast ${VERSION} listening: studio ${origin}/studio, directory ${origin}/` +
              (others.length ? `; from other devices: ${others.join(", ")}` : ""),
          );
        },
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

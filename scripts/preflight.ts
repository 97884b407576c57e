/**
 * Before the tests: make sure Chromium, Firefox ESR, ffmpeg and nginx are there. As root on
 * Debian/Ubuntu it installs what is missing with apt-get; otherwise it says
 * exactly what to install. Browser tests never skip.
 */
function has(cmd: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`], stdout: "null" })
      .outputSync()
      .success;
  } catch {
    return false;
  }
}

const chromium = Deno.env.get("CHROMIUM_PATH") ?? "chromium";
const firefox = Deno.env.get("FIREFOX_PATH") ?? "firefox-esr";
// nginx (the pull-mode cache tests) lives in /usr/sbin, which a user's PATH may lack.
const nginx = Deno.env.get("NGINX_PATH") ?? (has("nginx") ? "nginx" : "/usr/sbin/nginx");
const missing = [
  [chromium, "chromium"],
  [firefox, "firefox-esr"],
  ["ffmpeg", "ffmpeg"],
  ["ffprobe", "ffmpeg"],
  [nginx, "nginx-light"],
]
  .filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
const packages = [...new Set(missing)];
if (packages.length > 0) {
  const root = Deno.uid?.() === 0;
  if (!root || !has("apt-get")) {
    console.error(
      `tests need ${packages.join(" and ")}: install with \`sudo apt-get install ${
        packages.join(" ")
      }\``,
    );
    Deno.exit(1);
  }
  console.log(`installing ${packages.join(" ")} with apt-get`);
  const sh = `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${
    packages.join(" ")
  }`;
  const { success } = await new Deno.Command("sh", { args: ["-c", sh] }).output();
  if (!success) {
    console.error(`apt-get install ${packages.join(" ")} failed`);
    Deno.exit(1);
  }
}

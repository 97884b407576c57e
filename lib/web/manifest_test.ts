import assert from "node:assert/strict";
import { generateManifest, islandName, isModuleFile } from "./manifest.ts";

Deno.test("generateManifest() imports every route and island, sorted, skipping tests", () => {
  const source = generateManifest(
    ["routes/studio.tsx", "routes/index.tsx", "routes/router_test.ts", "routes/s/[id]/index.tsx"],
    ["islands/Viewer.tsx", "islands/Studio.tsx", "islands/.hidden.tsx"],
  );
  assert.match(source, /^\/\/ DO NOT EDIT/);
  const imports = [...source.matchAll(/^import \* as (\$+\d+) from "(.+)";$/gm)].map((m) => m[2]);
  assert.deepEqual(imports, [
    "./routes/index.tsx",
    "./routes/s/[id]/index.tsx",
    "./routes/studio.tsx",
    "./islands/Studio.tsx",
    "./islands/Viewer.tsx",
  ]);
  assert.match(source, /"\.\/islands\/Studio\.tsx": \$\$0,/);
  assert.match(source, /"\.\/routes\/studio\.tsx": \$2,/);
});

Deno.test("generateManifest() is stable whatever order files are listed in", () => {
  const a = generateManifest(["routes/b.tsx", "routes/a.tsx"], ["islands/X.tsx"]);
  const b = generateManifest(["routes/a.tsx", "routes/b.tsx"], ["islands/X.tsx"]);
  assert.equal(a, b);
});

Deno.test("isModuleFile() and islandName()", () => {
  assert.equal(isModuleFile("routes/a_test.ts"), false);
  assert.equal(isModuleFile("routes/readme.md"), false);
  assert.equal(isModuleFile("routes/a.tsx"), true);
  assert.equal(islandName("./islands/Studio.tsx"), "Studio");
});

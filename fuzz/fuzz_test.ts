/**
 * A few thousand fuzz inputs in CI: the same targets and arbitraries as
 * `deno task fuzz`, with a fixed seed so a failure reproduces.
 */
import assert from "node:assert/strict";
import { runFuzz } from "./fuzz.ts";

Deno.test("fuzz: parsers, protocol decoders and the server take 3,000 inputs without a violation", async () => {
  const figures = await runFuzz({ runs: 3000, seed: 8 });
  assert.deepEqual(figures.map((f) => f.target), ["parsers", "protocol", "server"]);
  assert.equal(figures.reduce((n, f) => n + f.runs, 0), 3000);
});

Deno.test("fuzz: 300 inputs through the full server path", async () => {
  const [server] = await runFuzz({ runs: 300, seed: 9, only: "server" });
  assert.equal(server.runs, 300);
});

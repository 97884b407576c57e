import assert from "node:assert/strict";
import { needsOriginCheck, originRefusal, ownOrigin } from "./origin.ts";

const policy = { allowed: ["https://school.example"], trustProxy: false };

function req(
  method: string,
  headers: Record<string, string>,
  url = "http://lesson.test:8080/api/rooms",
) {
  return new Request(url, { method, headers });
}

Deno.test("state-changing methods and WebSocket upgrades are checked; reads are not", () => {
  for (const m of ["POST", "PUT", "PATCH", "DELETE"]) {
    assert.equal(needsOriginCheck(req(m, {})), true);
  }
  for (const m of ["GET", "HEAD", "OPTIONS"]) assert.equal(needsOriginCheck(req(m, {})), false);
  assert.equal(needsOriginCheck(req("GET", { upgrade: "WebSocket" })), true);
});

Deno.test("a foreign Origin is refused with what to do; own, listed and absent origins pass", () => {
  const own = { host: "lesson.test:8080" };
  assert.equal(
    originRefusal(req("POST", { ...own, origin: "http://lesson.test:8080" }), policy),
    null,
  );
  assert.equal(
    originRefusal(req("POST", { ...own, origin: "https://school.example" }), policy),
    null,
  );
  assert.equal(originRefusal(req("POST", own), policy), null);
  assert.equal(originRefusal(req("GET", { ...own, origin: "http://evil.example" }), policy), null);
  assert.equal(
    originRefusal(req("POST", { ...own, origin: "http://evil.example" }), policy),
    "pages on http://evil.example may not use this server; open Chalkcast from http://lesson.test:8080, or list that origin in the server's --allowed-origins",
  );
  // Same host, other port or scheme: another origin.
  assert.notEqual(
    originRefusal(req("PUT", { ...own, origin: "http://lesson.test:9090" }), policy),
    null,
  );
  assert.notEqual(
    originRefusal(req("PUT", { ...own, origin: "https://lesson.test:8080" }), policy),
    null,
  );
  // Sandboxed frames and file:// pages say "null".
  assert.notEqual(originRefusal(req("DELETE", { ...own, origin: "null" }), policy), null);
  assert.notEqual(
    originRefusal(
      req("GET", { ...own, upgrade: "websocket", origin: "http://evil.example" }),
      policy,
    ),
    null,
  );
});

Deno.test("the own origin follows Host; default ports are dropped as browsers do", () => {
  assert.equal(
    ownOrigin(req("POST", { host: "lesson.test" }, "https://x/"), false),
    "https://lesson.test",
  );
  assert.equal(
    ownOrigin(req("POST", { host: "lesson.test:443" }, "https://x/"), false),
    "https://lesson.test",
  );
  assert.equal(
    ownOrigin(req("POST", { host: "[::1]:8080" }, "http://x/"), false),
    "http://[::1]:8080",
  );
  assert.equal(ownOrigin(req("POST", { host: "evil.example/x" }, "http://x/"), false), null);
  assert.equal(ownOrigin(req("POST", { host: "a@b" }, "http://x/"), false), null);
});

Deno.test("behind --trust-proxy the own origin is X-Forwarded-Proto + X-Forwarded-Host; without it they are ignored", () => {
  const behind = req("POST", {
    host: "127.0.0.1:8080",
    "x-forwarded-proto": "https",
    "x-forwarded-host": "lesson.test:8443",
    origin: "https://lesson.test:8443",
  });
  assert.equal(ownOrigin(behind, true), "https://lesson.test:8443");
  assert.equal(originRefusal(behind, { allowed: [], trustProxy: true }), null);
  assert.equal(ownOrigin(behind, false), "http://127.0.0.1:8080");
  assert.notEqual(originRefusal(behind, { allowed: [], trustProxy: false }), null);
});

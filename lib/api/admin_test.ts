import assert from "node:assert/strict";
import { isAdmin, requireAdmin } from "./admin.ts";
import { AuthError, NotFoundError } from "../errors.ts";

const TOKEN = "a-long-admin-token-0123";
const req = (auth?: string) =>
  new Request("http://x/", { headers: auth === undefined ? {} : { authorization: auth } });

Deno.test("isAdmin() needs the configured token as a bearer", () => {
  assert.equal(isAdmin(req(`Bearer ${TOKEN}`), { adminToken: TOKEN }), true);
  assert.equal(isAdmin(req(`bearer ${TOKEN}`), { adminToken: TOKEN }), true);
  assert.equal(isAdmin(req(`Bearer ${TOKEN}x`), { adminToken: TOKEN }), false);
  assert.equal(isAdmin(req(), { adminToken: TOKEN }), false);
  assert.equal(isAdmin(req(`Bearer ${TOKEN}`), {}), false);
});

Deno.test("requireAdmin(): no admin API without --admin-token (404), wrong token 401", () => {
  assert.throws(() => requireAdmin(req(`Bearer ${TOKEN}`), {}), NotFoundError);
  assert.throws(() => requireAdmin(req("Bearer nope"), { adminToken: TOKEN }), AuthError);
  requireAdmin(req(`Bearer ${TOKEN}`), { adminToken: TOKEN });
});

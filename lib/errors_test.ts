import { deepEqual, equal, ok } from "node:assert/strict";
import {
  AuthError,
  CapacityError,
  CLOSE,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ProtocolError,
  RateLimitError,
  toHttpStatus,
  TooLargeError,
  toWsClose,
  truncateUtf8,
  UnsupportedMediaError,
  UserError,
} from "./errors.ts";
import { memoryLogger } from "./log.ts";

Deno.test("toHttpStatus() maps each error type to its status, code and message", () => {
  const cases: Array<[Error, number, string]> = [
    [new UserError("a"), 400, "bad-request"],
    [new AuthError("a"), 401, "auth"],
    [new NotFoundError("a"), 404, "not-found"],
    [new ConflictError("a"), 409, "conflict"],
    [new UnsupportedMediaError("a"), 415, "unsupported-media"],
    [new CapacityError("a"), 503, "capacity"],
    [new ProtocolError("a"), 400, "protocol"],
    [new ForbiddenError("a"), 403, "forbidden"],
    [new TooLargeError("a"), 413, "too-large"],
    [new RateLimitError("a"), 429, "rate-limited"],
  ];
  for (const [err, status, code] of cases) {
    deepEqual(toHttpStatus(err), { status, code, message: "a" });
  }
});

Deno.test("toWsClose() maps errors to close codes a client can act on", () => {
  deepEqual(toWsClose(new ProtocolError("bad")), { code: 1008, reason: "bad" });
  equal(toWsClose(new ProtocolError("bin", { unsupportedData: true })).code, 1003);
  equal(toWsClose(new CapacityError("full")).code, CLOSE.tryAgainLater);
  equal(toWsClose(new AuthError("key")).code, 4401);
  equal(toWsClose(new NotFoundError("gone")).code, 4404);
  equal(toWsClose(new ConflictError("taken")).code, 4409);
  equal(toWsClose(new UnsupportedMediaError("codec")).code, 4415);
  equal(toWsClose(new UserError("no")).code, 4400);
});

Deno.test("unknown errors become 500/1011 with a generic message and are logged", () => {
  const log = memoryLogger();
  deepEqual(toHttpStatus(new TypeError("x is undefined"), log), {
    status: 500,
    code: "internal",
    message: "internal error; the server logged the details",
  });
  deepEqual(toWsClose("thrown string", log), {
    code: 1011,
    reason: "internal error; the server logged the details",
  });
  equal(log.lines.length, 2);
  ok(log.lines[0].startsWith("error unhandled error: TypeError: x is undefined"));
});

Deno.test("toWsClose() cuts reasons to the 123 bytes a close frame allows", () => {
  const reason = toWsClose(new UserError("é".repeat(100))).reason;
  ok(new TextEncoder().encode(reason).byteLength <= 123);
  ok(reason.endsWith("..."));
  equal(truncateUtf8("short", 123), "short");
});

Deno.test("error types keep their names for logs", () => {
  equal(new ConflictError("x").name, "ConflictError");
  equal(new ProtocolError("x").name, "ProtocolError");
});

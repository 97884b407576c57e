import assert from "node:assert/strict";
import { clientAddress, isLoopback, parseIp } from "./client.ts";

const peer = (hostname: string): Deno.NetAddr => ({ transport: "tcp", hostname, port: 5000 });
const req = (xff?: string) =>
  new Request("http://x/", { headers: xff === undefined ? {} : { "x-forwarded-for": xff } });

Deno.test("without --trust-proxy the client is the socket's address and X-Forwarded-For is ignored", () => {
  assert.equal(clientAddress(req("9.9.9.9"), peer("10.0.0.7"), false), "10.0.0.7");
  assert.equal(clientAddress(req(), null, false), "unknown");
});

Deno.test("with --trust-proxy the client is the rightmost X-Forwarded-For entry, the one our proxy added", () => {
  assert.equal(clientAddress(req("1.1.1.1, 203.0.113.9"), peer("127.0.0.1"), true), "203.0.113.9");
  // A forged left part changes nothing.
  assert.equal(
    clientAddress(req("6.6.6.6,7.7.7.7, 203.0.113.9"), peer("127.0.0.1"), true),
    "203.0.113.9",
  );
  // Missing or garbage: the socket's address.
  assert.equal(clientAddress(req(), peer("127.0.0.1"), true), "127.0.0.1");
  assert.equal(clientAddress(req("1.1.1.1, not-an-ip"), peer("127.0.0.1"), true), "127.0.0.1");
});

Deno.test("IPv6 clients are keyed by their /64; IPv4-mapped addresses by the IPv4 address", () => {
  assert.equal(clientAddress(req(), peer("2001:db8:1:2:aaaa::1"), false), "2001:db8:1:2::/64");
  assert.equal(clientAddress(req(), peer("2001:db8:1:2:bbbb::9"), false), "2001:db8:1:2::/64");
  assert.equal(clientAddress(req(), peer("::ffff:192.0.2.1"), false), "192.0.2.1");
  assert.equal(clientAddress(req("[2001:db8::5]:443"), peer("::1"), true), "2001:db8:0:0::/64");
});

Deno.test("parseIp() takes addresses with ports and brackets and refuses anything else", () => {
  assert.equal(parseIp("192.0.2.1:8080"), "192.0.2.1");
  assert.equal(parseIp("[::1]:80"), "::1");
  assert.equal(parseIp("256.1.1.1"), null);
  assert.equal(parseIp("evil\u0001"), null);
  assert.equal(parseIp("example.com"), null);
});

Deno.test("loopback clients are recognised (they are exempt from per-client limits)", () => {
  assert.equal(isLoopback(clientAddress(req(), peer("127.0.0.1"), false)), true);
  assert.equal(isLoopback(clientAddress(req(), peer("::1"), false)), true);
  assert.equal(isLoopback(clientAddress(req(), peer("::ffff:127.0.0.1"), false)), true);
  assert.equal(isLoopback(clientAddress(req(), peer("192.0.2.1"), false)), false);
  assert.equal(isLoopback(clientAddress(req(), peer("::2"), false)), false);
  // Behind a proxy the proxy's own loopback address is not the client.
  assert.equal(isLoopback(clientAddress(req("203.0.113.9"), peer("127.0.0.1"), true)), false);
});

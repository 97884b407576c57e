import assert from "node:assert/strict";
import { ProtocolError } from "../errors.ts";
import { LANE_TOKEN } from "../protocol.ts";
import { LANE_MAIN_CLOSED, LANE_REPLACED, Lanes, randomLaneToken, UNKNOWN_LANE } from "./lanes.ts";

class FakeLane {
  ended: { code: number; reason: string } | null = null;
  end(code: number, reason: string): void {
    this.ended = { code, reason };
  }
}

Deno.test("random lane tokens are 128-bit base64url and differ", () => {
  const a = randomLaneToken(), b = randomLaneToken();
  assert.match(a, LANE_TOKEN);
  assert.equal(a.length, 22);
  assert.notEqual(a, b);
});

Deno.test("a token takes one lane; a newer lane replaces the older with 4009", () => {
  const lanes = new Lanes();
  const token = lanes.open();
  const first = new FakeLane(), second = new FakeLane();
  lanes.attach(token, first);
  lanes.attach(token, second);
  assert.deepEqual(first.ended, LANE_REPLACED);
  assert.equal(LANE_REPLACED.code, 4009);
  assert.equal(second.ended, null);
  // The replaced lane's own close does not unhook the newer one.
  lanes.detach(token, first);
  lanes.close(token);
  assert.deepEqual(second.ended, LANE_MAIN_CLOSED);
  assert.equal(lanes.size, 0);
});

Deno.test("an unknown or closed token is a protocol error naming what to do", () => {
  const lanes = new Lanes();
  assert.throws(() => lanes.attach("nope", new FakeLane()), (err: unknown) => {
    assert.ok(err instanceof ProtocolError);
    assert.equal(err.message, UNKNOWN_LANE);
    return true;
  });
  const token = lanes.open();
  lanes.close(token);
  assert.throws(() => lanes.attach(token, new FakeLane()), ProtocolError);
});

Deno.test("a lane that closed leaves room for the next; a token collision draws again", () => {
  const draws = ["same", "same", "other"];
  const lanes = new Lanes(() => draws.shift()!);
  assert.equal(lanes.open(), "same");
  assert.equal(lanes.open(), "other");
  const lane = new FakeLane();
  lanes.attach("same", lane);
  lanes.detach("same", lane);
  lanes.close("same");
  assert.equal(lane.ended, null, "a lane that already closed is not ended again");
});

import { deepEqual, equal, ok } from "node:assert/strict";
import { type Tickable, Ticker } from "./ticker.ts";

/** An item that records calls and has `work` pumps to do. */
class Item implements Tickable {
  pumps: number[] = [];
  beats: number[] = [];
  constructor(public work = 0) {}
  pump(now: number): boolean {
    this.pumps.push(now);
    return --this.work > 0;
  }
  heartbeat(now: number): void {
    this.beats.push(now);
  }
}

/** A ticker driven by hand: 50 ms ticks, a 1 s wheel (20 slots). */
function setup() {
  let t = 0;
  const ticker = new Ticker(50, () => t);
  const run = (ticks: number) => {
    for (let i = 0; i < ticks; i++) ticker.tickAll(t += 50);
  };
  return { ticker, run };
}

Deno.test("idle items are only visited by the heartbeat wheel, once per turn, spread over its ticks", () => {
  const { ticker, run } = setup();
  const items = Array.from({ length: 2000 }, () => new Item());
  items.forEach((i) => ticker.add(i));
  let most = 0;
  for (let tick = 0; tick < 40; tick++) {
    const before = items.reduce((n, i) => n + i.beats.length, 0);
    run(1);
    most = Math.max(most, items.reduce((n, i) => n + i.beats.length, 0) - before);
  }
  ticker.stop();
  equal(most, 100, "2,000 items over 20 slots: 100 heartbeats a tick");
  ok(items.every((i) => i.beats.length === 2), "two turns in 2 s: two heartbeats each");
  ok(items.every((i) => i.pumps.length === 0), "nobody woke: nobody pumped");
  const [a] = items;
  equal(a.beats[1] - a.beats[0], 1000, "one heartbeat a second");
});

Deno.test("a woken item is pumped every tick until its pump() returns false", () => {
  const { ticker, run } = setup();
  const busy = new Item(3);
  const idle = new Item();
  ticker.add(busy);
  ticker.add(idle);
  ticker.wake(busy);
  equal(ticker.awake, 1);
  run(5);
  ticker.stop();
  deepEqual(busy.pumps, [50, 100, 150]);
  equal(idle.pumps.length, 0);
  equal(ticker.awake, 0);
});

Deno.test("wake() twice pumps once a tick; remove() forgets a woken item", () => {
  const { ticker, run } = setup();
  const item = new Item(100);
  ticker.add(item);
  ticker.wake(item);
  ticker.wake(item);
  run(2);
  equal(item.pumps.length, 2);
  ticker.remove(item);
  const beats = item.beats.length;
  run(40);
  ticker.stop();
  equal(item.pumps.length, 2);
  equal(item.beats.length, beats, "no heartbeats after remove()");
  equal(ticker.size, 0);
});

Deno.test("soon() pumps just that item on the next event-loop turn, then leaves it to the tick", async () => {
  const { ticker, run } = setup();
  const draining = new Item(3);
  const stuck = new Item(100);
  ticker.add(draining);
  ticker.add(stuck);
  ticker.wake(stuck);
  ticker.soon(draining);
  ticker.soon(draining);
  equal(draining.pumps.length, 0, "not synchronously");
  await new Promise((resolve) => setTimeout(resolve, 0)); // the next turn, not a wall-clock wait
  equal(draining.pumps.length, 1, "once, however often asked");
  equal(stuck.pumps.length, 0, "other awake items wait for the tick");
  run(1);
  deepEqual([draining.pumps.length, stuck.pumps.length], [2, 1], "and stays awake for the tick");
  ticker.stop();
});

import { equal } from "node:assert/strict";
import { SendBudget } from "./send_budget.ts";

/** The next event-loop turn (a macrotask), not a wall-clock wait. */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("a turn's budget refuses what does not fit, and refills on the next turn", async () => {
  const budget = new SendBudget(100);
  equal(budget.take(60), true);
  equal(budget.take(60), false, "120 > 100");
  equal(budget.take(40), true, "100 fits");
  await nextTurn();
  equal(budget.used, 0);
  equal(budget.take(60), true);
  await nextTurn();
});

Deno.test("the first send of a turn goes even when larger than the budget", async () => {
  const budget = new SendBudget(100);
  equal(budget.take(1000), true);
  equal(budget.take(1), false);
  await nextTurn();
});

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { AssertionError } from "node:assert";
import { buildContractCases, createTestHost, simulate, VirtualClock, type Contract, type ContractCase } from "../../runtime/testing/index.ts";
import type { AppPlan } from "../../runtime/api/plan.ts";
import { buildApp, buildShop, service } from "./plans.ts";

const test = suite("runtime/testing");

test("a 30s grace period with everything hung is simulated in milliseconds of real time", async () => {
  const doubles = Object.fromEntries(["db", "cache", "workers.mailer", "workers.indexer", "api"].map((id) => [id, { hangStop: true }]));
  const started = performance.now();
  const run = await simulate(buildShop(30_000), { signal: "SIGTERM", doubles });
  const realMs = performance.now() - started;
  assert.is(run.exitCode, 1);
  assert.ok(realMs < 1000, `took ${realMs}ms of real time`);
  // api's 15s, then workers (no budget of their own: 5s each), then db/cache (10s / 2s).
  assert.is(run.at("abandoned", "api"), 15_000);
  assert.is(run.at("abandoned", "workers.mailer"), 20_000);
  assert.is(run.at("abandoned", "cache"), 22_000);
  assert.is(run.at("abandoned", "db"), 30_000, "grace cut db's 10s short at 30s");
  assert.is(run.at("exit", ""), 30_000);
  assert.equal(run.report.abandoned, ["db", "cache", "workers.mailer", "workers.indexer", "api"]);
});

test("at() is the first event of a type for an id; order() lists ids with repeats", async () => {
  const plan = buildApp([service("a"), service("b")], { intensity: 5 });
  const run = await simulate(plan, { signalAtMs: 250, signal: "SIGINT", doubles: { a: { crashAfterMs: 100 } } });
  assert.is(run.at("crashed", "a"), 100);
  assert.is(run.at("crashed", "b"), undefined);
  assert.equal(run.order("crashed"), ["a", "a"]);
  assert.equal(run.order("signal"), [""]);
  assert.is(run.at("signal", ""), 250);
  assert.is(run.exitCode, 0);
});

test("the signal goes out once everything started; doubles take the time they are given", async () => {
  const plan = buildApp([service("a"), service("b", { needs: ["a"] })]);
  const run = await simulate(plan, { signal: "SIGTERM", doubles: { a: { startMs: 30, stopMs: 7 }, b: { startMs: 20, stopMs: 11 } } });
  assert.equal(
    run.events.map((e) => `${e.at} ${e.type} ${e.id}`),
    [
      "0 starting ",
      "0 starting a",
      "30 started a",
      "30 starting b",
      "50 started b",
      "50 started ",
      "50 signal ",
      "50 stopping ",
      "50 stopping b",
      "61 stopped b",
      "61 stopping a",
      "68 stopped a",
      "68 stopped ",
      "68 exit ",
    ],
  );
});

test("the doubles hand out their id and deps as a handle", async () => {
  const plan = buildApp([service("a"), service("b", { needs: ["a"] })]);
  const run = await simulate(plan, { signal: "SIGTERM" });
  assert.is(run.exitCode, 0);
  assert.equal(run.report.nodes.find((n) => n.id === "b")!.starts, 1);
});

test("a behaviour for an id that is not a service is a mistake in the test", async () => {
  try {
    await simulate(buildApp([service("a")]), { doubles: { ghost: { hangStop: true } } });
    assert.unreachable();
  } catch (error) {
    assert.match(String(error), /a behaviour is given for "ghost", which is not a service of the plan/);
  }
});

test("a run that can never end says so instead of hanging", async () => {
  const plan = buildApp([service("a", { startTimeoutMs: Infinity })]);
  try {
    await simulate(plan, { doubles: { a: { hangStart: true } } });
    assert.unreachable();
  } catch (error) {
    assert.match(String(error), /simulate: stalled at 0ms: nothing is scheduled and the app has not exited \(still up: a\)/);
  }
  try {
    await simulate(buildApp([service("a")]), { doubles: { a: { crashAfterMs: 2000 } }, maxVirtualMs: 10_000 });
    assert.unreachable();
  } catch (error) {
    assert.match(String(error), /the app was still running after 10000ms of virtual time/);
  }
});

test("the test host delivers signals and fatal errors to what is installed, and forgets what was removed", () => {
  const host = createTestHost(new VirtualClock());
  const heard: string[] = [];
  const off = host.onSignal("SIGTERM", () => heard.push("term"));
  host.onSignal("SIGINT", () => heard.push("int"));
  const offFatal = host.onFatal!((error, origin) => heard.push(`${origin}: ${String(error)}`));
  host.sendSignal("SIGTERM");
  host.raise("oops");
  off();
  offFatal();
  host.sendSignal("SIGTERM");
  host.raise("ignored");
  host.exit(3);
  host.writeLog("line");
  assert.equal(heard, ["term", "unhandledRejection: oops"]);
  assert.is(host.handlerCount, 1);
  assert.equal(host.exitCodes, [3]);
  assert.equal(host.logs, ["line"]);
});

// b needs a: a starts first and stops last, and a crash of a restarts b with it.
const pairPlan = buildApp([service("a", { stopAfter: ["b"] }), service("b", { needs: ["a"], startAfter: ["a"] })]);
const pairContract: Contract = {
  app: "app",
  graceMs: 30_000,
  signals: ["SIGTERM", "SIGINT"],
  services: ["a", "b"],
  startEdges: [["b", "a"]],
  stopEdges: [["a", "b"]],
  hungStopMs: { a: 5000, b: 5000 },
  startTimeoutMs: { a: 15_000, b: 15_000 },
  allHungExitMs: 10_000,
  lastToStop: "a",
  restarts: [{ service: "a", supervisor: "", strategy: "one_for_one", crashAfterMs: 1000, restartAtMs: 1000, signalAtMs: 1500, restarted: ["a", "b"], stoppedOnly: [] }],
  crashLoops: [{ service: "a", crashAfterMs: 1, gaveUp: [""], crashes: 4 }],
  supervisorStops: [],
  policies: [],
  backoffs: [],
  spreadCrashes: [],
};

/** The names of the cases that fail, each with the first line of its assertion message. */
async function findFailures(plan: AppPlan, contract: Contract): Promise<string[]> {
  const failures: string[] = [];
  for (const { name, run } of buildContractCases(plan, contract)) {
    try {
      await run();
    } catch (error) {
      assert.instance(error, AssertionError, `${name}: ${String(error)}`);
      failures.push(`${name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  return failures;
}

test("contract cases: one named case per promise, in a fixed order, all kept by the runtime", async () => {
  const cases: ContractCase[] = buildContractCases(pairPlan, pairContract);
  assert.equal(
    cases.map((c) => c.name),
    [
      "start order respects needs",
      "SIGTERM stops every service in the spec's order and exits 0",
      "SIGINT stops every service in the spec's order and exits 0",
      "a hanging on stop is abandoned after 5000ms and the rest still stop",
      "b hanging on stop is abandoned after 5000ms and the rest still stop",
      "every service hanging: exit 1 after 10000ms (grace 30000ms) naming them",
      "a second SIGINT forces exit 128+n at once",
      "a failing to start rolls back what started and never starts its dependents",
      "a hanging on start times out after 15000ms",
      "b failing to start rolls back what started and never starts its dependents",
      "b hanging on start times out after 15000ms",
      "a crashing once: one_for_one in the app restarts a, b, in start order, and nothing else",
      "a crashing in a loop: the app gives up, and the app exits 1",
      "SIGTERM reaches every service as scope.signal.reason",
      "finalizers run in reverse order, and a throwing one does not skip the others",
      "a still starting when SIGTERM arrives is cancelled at once",
      "with no stop timeout, every service hanging: the grace (30000ms) ends the shutdown",
      "a crashing once: nothing restarts before the rest of its set, slow to stop, has stopped",
    ],
  );
  assert.equal(await findFailures(pairPlan, pairContract), []);
});

test("contract cases fail when the runtime does not do what the contract says", async () => {
  // The contract claims the opposite stop order: the runtime (rightly) stops b first.
  const wrongStop = await findFailures(pairPlan, { ...pairContract, stopEdges: [["b", "a"]] });
  assert.ok(wrongStop.includes("SIGTERM stops every service in the spec's order and exits 0: a must have stopped before b began to stop"), wrongStop.join("\n"));
  // The contract claims a restarts alone: the runtime restarts b with it.
  const restarts = [{ ...pairContract.restarts[0]!, restarted: ["a"] }];
  const wrongSet = await findFailures(pairPlan, { ...pairContract, restarts });
  assert.equal(wrongSet, ["a crashing once: one_for_one in the app restarts a, in start order, and nothing else: restarted exactly once: the set the strategy implies"]);
  // A wrong budget and a wrong intensity are caught too.
  const wrongBudget = await findFailures(pairPlan, { ...pairContract, hungStopMs: { a: 5000, b: 4000 } });
  assert.equal(wrongBudget.map((f) => f.split(":")[0]), ["b hanging on stop is abandoned after 4000ms and the rest still stop"]);
  const crashLoops = [{ ...pairContract.crashLoops[0]!, crashes: 5 }];
  assert.equal((await findFailures(pairPlan, { ...pairContract, crashLoops })).length, 1);
});

test("contract cases fail against a runtime that ignores a need", async () => {
  // A plan that lost b's need of a stands in for a runtime that ignores it: b starts with a.
  const unordered = buildApp([service("a", { stopAfter: ["b"] }), service("b")]);
  assert.equal(await findFailures(unordered, pairContract), [
    "start order respects needs: a must have started before b began to start",
    "a failing to start rolls back what started and never starts its dependents: b needs a: it must not start",
    "a crashing once: one_for_one in the app restarts a, b, in start order, and nothing else: restarted exactly once: the set the strategy implies",
    "a crashing once: nothing restarts before the rest of its set, slow to stop, has stopped: a must start again only once the whole restart set has stopped",
  ]);
});

test.run();

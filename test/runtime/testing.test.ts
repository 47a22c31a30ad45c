import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createTestHost, simulate, VirtualClock } from "../../runtime/testing/index.ts";
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

test.run();

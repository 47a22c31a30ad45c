// Reloading on virtual time (runtime/engine/reload.ts): the reload signal calls each running
// service's reload in start order, one at a time, each within its start timeout; a failure is
// reported and the app keeps running; a shutdown signal still stops it cleanly.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RunResult, RuntimeEvent } from "../../runtime/api/events.ts";
import type { AppPlan } from "../../runtime/api/plan.ts";
import type { Reloads } from "../../runtime/engine/plan-index.ts";
import { runApp } from "../../runtime/main/run-app.ts";
import { createTestHost, type TestHost } from "../../runtime/testing/index.ts";
import { VirtualClock, flushMicrotasks } from "../../runtime/host/clock.ts";
import { bindAll } from "../runtime/harness.ts";
import { buildApp, service } from "../runtime/plans.ts";
import type { ServiceScope } from "../../runtime/api/types.ts";

const test = suite("semantics/reload");

interface Run {
  readonly result: RunResult;
  readonly events: readonly RuntimeEvent[];
  readonly lines: readonly string[];
}

/** Runs until exit; `actions` at virtual times. */
async function run(plan: AppPlan, starts: Record<string, (scope: ServiceScope<any>) => unknown>, reloads: Reloads, actions: [number, (host: TestHost) => void][]): Promise<Run> {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  const events: RuntimeEvent[] = [];
  for (const [ms, action] of actions) clock.setTimeout(() => action(host), ms);
  let result: RunResult | undefined;
  runApp(plan, bindAll(plan, starts), { host, onEvent: (e) => events.push(e), reloads }).then((r) => (result = r));
  await flushMicrotasks();
  while (result === undefined) {
    if (clock.nextTimerAt() === undefined) throw new Error("stalled");
    await clock.fireNext();
  }
  return { result, events, lines: host.logs };
}

const withReload = (plan: AppPlan): AppPlan => ({ ...plan, reloadSignal: "SIGHUP" });

test("two reload signals reload every service with a reload twice, in start order, then SIGTERM exits 0", async () => {
  const plan = withReload(buildApp([service("api", { needs: ["db"] }), service("db"), service("cache")]));
  const calls: string[] = [];
  const reloader = (id: string) => ({
    reload: async (scope: ServiceScope<any>) => {
      calls.push(`${id}:${scope.id}:begin`);
      await scope.sleep(10);
      calls.push(`${id}:end`);
    },
  });
  const r = await run(plan, {}, { api: reloader("api"), db: reloader("db") }, [
    [100, (h) => h.sendSignal("SIGHUP")],
    [200, (h) => h.sendSignal("SIGHUP")],
    [300, (h) => h.sendSignal("SIGTERM")],
  ]);
  assert.is(r.result.exitCode, 0);
  // db started before api (api needs it); one at a time: each ends before the next begins.
  const once = ["db:db:begin", "db:end", "api:api:begin", "api:end"];
  assert.equal(calls, [...once, ...once]);
  assert.equal(r.events.filter((e) => e.type === "reload-finished").map((e) => e.type === "reload-finished" && [e.reloaded, e.failed]), [[2, 0], [2, 0]]);
  assert.not.ok(r.events.some((e) => e.type === "stopping" && e.at < 300), "nothing stops before SIGTERM");
  assert.ok(r.lines.some((l) => l.includes("received SIGHUP: reloading")), r.lines.join("\n"));
  assert.ok(r.lines.some((l) => l.includes("db reloaded in")), r.lines.join("\n"));
});

test("a failing reload and one that overruns its start timeout are reported; the app keeps running", async () => {
  const plan = withReload(buildApp([service("bad"), service("slow", { startTimeoutMs: 50 }), service("good")]));
  let goodReloads = 0;
  const r = await run(
    plan,
    {},
    {
      bad: { reload: () => { throw new Error("config.yaml: line 3: bad indent"); } },
      slow: { reload: () => new Promise(() => {}) },
      good: { reload: () => void goodReloads++ },
    },
    [[10, (h) => h.sendSignal("SIGHUP")], [500, (h) => h.sendSignal("SIGTERM")]],
  );
  assert.is(r.result.exitCode, 0);
  assert.is(goodReloads, 1);
  const failed = r.events.filter((e) => e.type === "reload-failed");
  assert.equal(failed.map((e) => e.type === "reload-failed" && [e.id, e.timedOut]), [["bad", false], ["slow", true]]);
  assert.is(r.events.find((e) => e.type === "reload-failed" && e.id === "slow")!.at, 60, "slow's reload timed out after its 50ms start timeout");
  assert.ok(r.lines.some((l) => l.includes("bad failed to reload: ") && l.includes("bad indent")), r.lines.join("\n"));
  assert.ok(r.lines.some((l) => l.includes("reload done in") && l.includes("1 reloaded, 2 failed")), r.lines.join("\n"));
  assert.equal(r.result.report.stopped, ["bad", "slow", "good"]);
});

test("a reload during the start waits for it; one during a reload runs once more after it; none during a shutdown", async () => {
  const plan = withReload(buildApp([service("db", { startTimeoutMs: 1000 })]));
  let reloads = 0;
  const r = await run(
    plan,
    { db: (scope) => scope.sleep(100).then(() => ({})) },
    { db: { reload: (scope: ServiceScope<any>) => scope.sleep(50).then(() => void reloads++) } },
    [
      [10, (h) => h.sendSignal("SIGHUP")], // during the start: runs at 100
      [120, (h) => h.sendSignal("SIGHUP")], // during that reload
      [130, (h) => h.sendSignal("SIGHUP")], // coalesced with the previous one
      [400, (h) => h.sendSignal("SIGTERM")],
      [401, (h) => h.sendSignal("SIGHUP")], // shutting down: ignored
    ],
  );
  assert.is(r.result.exitCode, 0);
  assert.is(reloads, 2);
  assert.equal(r.events.filter((e) => e.type === "reloading").map((e) => e.at), [100, 150]);
});

test("a reload signal during the drain after the first signal is ignored", async () => {
  const plan: AppPlan = { ...withReload(buildApp([service("db")])), drainMs: 1000 };
  let reloads = 0;
  const r = await run(plan, {}, { db: { reload: () => void reloads++ } }, [
    [10, (h) => h.sendSignal("SIGTERM")],
    [20, (h) => h.sendSignal("SIGHUP")],
  ]);
  assert.is(r.result.exitCode, 0);
  assert.is(reloads, 0);
  assert.ok(r.events.some((e) => e.type === "draining"));
  assert.not.ok(r.events.some((e) => e.type === "reload-requested"));
});

test("a plan whose reload signal is a shutdown signal is refused before anything starts", async () => {
  const plan = { ...buildApp([service("db")]), reloadSignal: "SIGTERM" };
  await runApp(plan, bindAll(plan), { host: createTestHost(new VirtualClock()) }).then(
    () => assert.unreachable("must reject"),
    (error: unknown) => assert.match(String(error), /reloadSignal SIGTERM is also a shutdown signal/),
  );
});

test.run();

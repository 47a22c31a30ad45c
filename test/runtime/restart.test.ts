import { suite } from "uvu";
import * as assert from "uvu/assert";
import { indexPlan } from "../../runtime/engine/plan-index.ts";
import { computeRestartSet } from "../../runtime/engine/restart.ts";
import { simulate } from "../../runtime/testing/index.ts";
import { VirtualClock } from "../../runtime/host/clock.ts";
import type { ServiceScope } from "../../runtime/api/types.ts";
import { bindAll, runVirtual, signalAt } from "./harness.ts";
import { buildApp, buildShop, service, supervisor, type Spec } from "./plans.ts";

const test = suite("runtime/restart");

/** Incarnation i crashes `plan[i]` ms after it started (undefined: it keeps running). */
function crashes(plan: readonly (number | undefined)[], log?: string[]) {
  let incarnation = 0;
  return (scope: ServiceScope) => {
    const after = plan[incarnation++];
    log?.push(`${scope.id} start ${incarnation}`);
    scope.defer(() => void log?.push(`${scope.id} finalizer ${incarnation}`));
    if (after !== undefined) {
      scope.go("work", async (signal) => {
        await scope.sleep(after);
        if (!signal.aborted) throw new Error(`${scope.id} crash ${incarnation}`);
      });
    }
    return { incarnation };
  };
}

/** Stop and start events only, as "type id". */
function lifecycle(events: readonly { type: string; id: string }[]): string[] {
  return events.filter((e) => ["stopping", "stopped", "starting", "started"].includes(e.type)).map((e) => `${e.type} ${e.id}`);
}

function appOf(strategy: "one_for_one" | "one_for_all" | "rest_for_one", extra: Spec[] = []) {
  return buildApp([supervisor("s", { strategy }, [service("a"), service("b"), service("c")]), service("d"), ...extra]);
}

for (const [strategy, restarted] of [
  ["one_for_one", ["s.b"]],
  ["one_for_all", ["s.a", "s.b", "s.c"]],
  ["rest_for_one", ["s.b", "s.c"]],
] as const) {
  test(`${strategy}: b crashing restarts ${restarted.join(", ")} and nothing else`, async () => {
    const plan = appOf(strategy);
    const run = await runVirtual(plan, bindAll(plan, { "s.b": crashes([100]) }), { actions: [signalAt(1000)] });
    const during = run.events.filter((e) => e.at === 100);
    const crashed = during[0]!;
    assert.ok(crashed.type === "crashed" && crashed.id === "s.b" && crashed.task === "work");
    assert.match(String(crashed.error), /s\.b crash 1/);
    assert.equal(run.order("restarting"), [...restarted]);
    // Independent stops (and starts) run concurrently: compare them as sets, in phase order.
    const steps = lifecycle(during);
    const lastStop = steps.map((l) => l.startsWith("stopped")).lastIndexOf(true);
    const firstStart = steps.findIndex((l) => l.startsWith("starting"));
    assert.ok(lastStop < firstStart, "the whole set stops before any of it starts again");
    assert.equal(steps.filter((l) => l.startsWith("stopped")).sort(), restarted.map((id) => `stopped ${id}`));
    assert.equal(steps.filter((l) => l.startsWith("started")).sort(), restarted.map((id) => `started ${id}`));
    const reason = during.find((e) => e.type === "stopping")!;
    assert.ok(reason.type === "stopping" && reason.reason.kind === "sibling-failed" && reason.reason.service === "s.b");
    for (const node of run.result.report.nodes) {
      if (node.kind === "service") assert.is(node.restarts, (restarted as readonly string[]).includes(node.id) ? 1 : 0, node.id);
    }
    assert.is(run.result.exitCode, 0);
  });
}

test("everything that needs what restarts is restarted too, dependents stopped first and started last", async () => {
  const plan = buildApp([
    service("db"),
    service("cache"),
    service("api", { needs: ["db"] }),
    service("web", { needs: ["api"] }),
    supervisor("jobs", {}, [service("report", { needs: ["cache"] })]),
    service("admin", { needs: ["jobs"] }),
  ]);
  const run = await runVirtual(plan, bindAll(plan, { db: crashes([50]), "jobs.report": crashes([undefined, undefined]) }), {
    actions: [signalAt(500)],
  });
  const during = run.events.filter((e) => e.at === 50);
  assert.equal(run.order("restarting"), ["db", "api", "web"]);
  assert.equal(lifecycle(during), [
    "stopping web",
    "stopped web",
    "stopping api",
    "stopped api",
    "stopping db",
    "stopped db",
    "starting db",
    "started db",
    "starting api",
    "started api",
    "starting web",
    "started web",
  ]);
});

test("the restart set: strategy pick, plus whoever needs it or a supervisor holding it", () => {
  const index = indexPlan(buildShop(), bindAll(buildShop()));
  const ids = (supervisor: string, child: string) =>
    computeRestartSet(index, index.byId.get(supervisor)!, index.byId.get(child)!).map((n) => n.id);
  assert.equal(ids("workers", "workers.mailer"), ["workers.mailer", "workers.indexer", "api"]);
  assert.equal(ids("", "cache"), ["cache", "workers.indexer", "api"]);
  assert.equal(ids("", "db"), ["db", "workers", "api"]);
});

test("transient restarts after a failure; temporary stays down, and the app still exits 0", async () => {
  const plan = buildApp([service("t", { restart: "transient" }), service("tmp", { restart: "temporary" }), service("other")]);
  const run = await runVirtual(plan, bindAll(plan, { t: crashes([10]), tmp: crashes([20]) }), { actions: [signalAt(100)] });
  assert.equal(run.order("restarting"), ["t"]);
  assert.equal(run.order("not-restarted"), ["tmp"]);
  assert.is(run.at("stopped", "tmp"), 20);
  assert.equal(run.order("starting").filter((id) => id === "tmp"), ["tmp"]);
  assert.equal(run.result.report.failed, ["tmp"]);
  assert.equal(run.result.report.stopped, ["t", "other"]);
  assert.is(run.result.exitCode, 0);
});

test("a permanent service whose task returns has ended and is restarted; a transient one keeps running", async () => {
  const plan = buildApp([service("perm"), service("trans", { restart: "transient" })]);
  let perm = 0;
  const returnsAfter = (ms: number) => (scope: ServiceScope) => {
    scope.go("job", () => scope.sleep(ms));
    return {};
  };
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      perm: (scope) => (perm++ === 0 ? returnsAfter(30)(scope) : {}),
      trans: returnsAfter(30),
    }),
    { actions: [signalAt(100)] },
  );
  assert.equal(run.order("ended"), ["perm"]);
  assert.equal(run.order("restarting"), ["perm"]);
  assert.is(run.at("stopped", "trans"), 100);
  const stopping = run.events.find((e) => e.type === "stopping" && e.id === "perm")!;
  assert.equal(stopping.type === "stopping" && stopping.reason, { kind: "sibling-failed", service: "perm", error: undefined });
});

test("a service that keeps crashing within its intensity keeps only its last 100 errors", async () => {
  const plan = buildApp([service("flaky")], { intensity: 1, periodMs: 1000 });
  const run = await simulate(plan, { signalAtMs: 150 * 2000 + 500, signal: "SIGTERM", doubles: { flaky: { crashAfterMs: 2000 } } });
  const flaky = run.report.nodes.find((n) => n.id === "flaky")!;
  assert.is(flaky.restarts, 150);
  assert.is(flaky.errors.length, 100);
  assert.is(flaky.errorsDropped, 50);
  assert.is(run.exitCode, 0);
});

test("more restarts than the root's intensity allows shut the app down with exit 1", async () => {
  const plan = buildApp([service("flaky"), service("steady")], { intensity: 2, periodMs: 1000 });
  const run = await simulate(plan, { doubles: { flaky: { crashAfterMs: 100 } } });
  assert.is(run.exitCode, 1);
  assert.equal(run.order("crashed"), ["flaky", "flaky", "flaky"]);
  assert.equal(run.order("restarting"), ["flaky", "flaky"]);
  assert.is(run.at("gave-up", ""), 300);
  assert.equal(run.report.cause, { kind: "restart-limit", supervisor: "" });
  assert.equal(run.report.stopped, ["steady"]);
  assert.equal(run.report.failed, ["flaky"]);
  assert.ok(run.logs.includes("[app] the app gave up: more than 2 restart(s) in 1s"));
});

test("restarts spread wider than the period never exhaust the intensity", async () => {
  const plan = buildApp([service("flaky")], { intensity: 1, periodMs: 1000 });
  const run = await simulate(plan, { signalAtMs: 5500, signal: "SIGTERM", doubles: { flaky: { crashAfterMs: 1000 } } });
  assert.equal(run.order("restarting").length, 5);
  assert.is(run.exitCode, 0);
});

test("a nested supervisor that gives up fails to its parent, which restarts it until it gives up too", async () => {
  const plan = buildApp([supervisor("s", { intensity: 1, periodMs: 10_000 }, [service("a"), service("b")]), service("api", { needs: ["s"] })], {
    intensity: 2,
    periodMs: 10_000,
  });
  const run = await simulate(plan, { doubles: { "s.a": { crashAfterMs: 100 } } });
  assert.is(run.exitCode, 1);
  assert.equal(run.order("gave-up"), ["s", "s", "s", ""]);
  assert.equal(
    run.events.filter((e) => e.type === "gave-up").map((e) => e.at),
    [200, 400, 600, 600],
  );
  const restartsOfS = run.events.filter((e) => e.type === "restarting" && e.id === "s");
  assert.equal(
    restartsOfS.map((e) => e.type === "restarting" && [e.at, e.supervisor]),
    [
      [200, ""],
      [400, ""],
    ],
  );
  // api needs s, so it restarts whenever anything in s does: 3 restarts of s.a by s, 2 of s by the app.
  assert.equal(run.order("restarting").filter((id) => id === "api").length, 5);
  const stoppingB = run.events.find((e) => e.type === "stopping" && e.id === "s.b" && e.at === 200)!;
  assert.equal(stoppingB.type === "stopping" && stoppingB.reason, { kind: "restart-limit", supervisor: "s" });
  assert.equal(run.report.cause, { kind: "restart-limit", supervisor: "" });
});

test("a temporary supervisor that gives up stays down and the app carries on", async () => {
  const plan = buildApp([supervisor("s", { intensity: 0, restart: "temporary" }, [service("a")]), service("other")]);
  const run = await simulate(plan, { signalAtMs: 500, signal: "SIGTERM", doubles: { "s.a": { crashAfterMs: 100 } } });
  assert.equal(run.order("gave-up"), ["s"]);
  assert.equal(run.order("not-restarted"), ["s"]);
  assert.is(run.exitCode, 0);
  assert.is(run.report.nodes.find((n) => n.id === "s")!.state, "failed");
  assert.equal(run.report.failed, ["s.a"]);
  assert.equal(run.report.stopped, ["other"]);
});

test("a start failing during a restart counts as another restart of the same set", async () => {
  const plan = buildApp([service("a")], { intensity: 3, periodMs: 10_000 });
  let incarnation = 0;
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      a: (scope) => {
        const n = ++incarnation;
        if (n === 2 || n === 3) throw new Error(`start ${n} failed`);
        return crashes(n === 1 ? [10] : [])(scope);
      },
    }),
    { actions: [signalAt(100)] },
  );
  assert.equal(run.order("start-failed"), ["a", "a"]);
  assert.equal(run.order("restarting"), ["a", "a", "a"]);
  assert.equal(run.order("started"), ["a", "", "a"]);
  assert.is(run.result.exitCode, 0);
  assert.is(run.result.report.nodes.find((n) => n.id === "a")!.restarts, 3);
});

test("a node that needs a temporary service which stayed down cannot restart: the supervisor gives up", async () => {
  const plan = buildApp([service("t", { restart: "temporary" }), service("a", { needs: ["t"] })], { intensity: 1 });
  const run = await runVirtual(plan, bindAll(plan, { t: crashes([10]), a: crashes([50]) }));
  const failed = run.events.find((e) => e.type === "start-failed")!;
  assert.match(String(failed.type === "start-failed" && failed.error), /"t" is needed but not running/);
  assert.equal(run.result.report.cause, { kind: "restart-limit", supervisor: "" });
});

test("a crash during the initial start is handled once everything has started", async () => {
  const plan = buildApp([service("a"), service("slow")]);
  const run = await runVirtual(plan, bindAll(plan, { a: crashes([5]), slow: (scope) => scope.sleep(100).then(() => ({})) }), {
    actions: [signalAt(500)],
  });
  assert.is(run.at("crashed", "a"), 5);
  assert.is(run.at("started", ""), 100);
  assert.is(run.at("restarting", "a"), 100);
  assert.equal(run.order("starting"), ["", "a", "slow", "a"]);
  assert.is(run.result.exitCode, 0);
});

test("a service that crashed during the initial start fails the start of what needs it", async () => {
  const plan = buildApp([service("a"), service("slow"), service("c", { needs: ["a", "slow"] })]);
  const run = await runVirtual(plan, bindAll(plan, { a: crashes([5]), slow: (scope) => scope.sleep(100).then(() => ({})) }));
  assert.is(run.result.exitCode, 1);
  assert.is(run.at("start-failed", "c"), 100);
  assert.is(run.at("restarting", "a"), undefined);
  assert.match(String((run.result.report.cause as { error: unknown }).error), /"a" is needed but not running/);
});

test("a signal during a restart: nothing starts again, and every finalizer runs exactly once", async () => {
  const plan = buildApp([service("a"), service("b", { needs: ["a"] })]);
  const clock = new VirtualClock();
  const log: string[] = [];
  // b takes 100ms to drain once asked to stop, on the clock, whatever happens meanwhile.
  const drainsSlowly = (inner: (scope: ServiceScope) => unknown) => (scope: ServiceScope) => {
    scope.go("drain", (signal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => clock.setTimeout(resolve, 100))));
    return inner(scope);
  };
  const run = await runVirtual(plan, bindAll(plan, { a: crashes([10], log), b: drainsSlowly(crashes([], log)) }), {
    clock,
    actions: [signalAt(50)],
  });
  assert.equal(run.order("restarting"), ["a", "b"]);
  assert.equal(log, ["a start 1", "b start 1", "b finalizer 1", "a finalizer 1"]);
  assert.equal(run.order("starting"), ["", "a", "b"]);
  assert.is(run.at("stopped", "b"), 110);
  assert.is(run.at("stopped", "a"), 110);
  assert.is(run.result.exitCode, 0);
  assert.equal(run.result.report.failed, ["a"]);
  assert.equal(run.result.report.stopped, ["b"]);
});

test.run();

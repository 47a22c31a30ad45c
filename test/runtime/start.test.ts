import { suite } from "uvu";
import * as assert from "uvu/assert";
import { simulate } from "../../runtime/testing/index.ts";
import type { ServiceScope, ShutdownReason } from "../../runtime/api/types.ts";
import { bindAll, runVirtual, signalAt } from "./harness.ts";
import { buildApp, service, supervisor } from "./plans.ts";

const test = suite("runtime/start");

const pipeline = buildApp([
  service("db"),
  service("cache"),
  service("worker"),
  service("api", { needs: ["db", "cache"] }),
]);

test("dependencies start first, independent services concurrently", async () => {
  const run = await simulate(pipeline, {
    signal: "SIGTERM",
    doubles: { db: { startMs: 10 }, cache: { startMs: 5 }, worker: { startMs: 3 } },
  });
  assert.is(run.exitCode, 0);
  assert.equal(run.order("starting"), ["", "db", "cache", "worker", "api"]);
  for (const id of ["db", "cache", "worker"]) assert.is(run.at("starting", id), 0, `${id} starts at once`);
  assert.is(run.at("starting", "api"), 10, "api waits for the slower of its dependencies");
  assert.equal(run.order("started"), ["worker", "cache", "db", "api", ""]);
  assert.is(run.at("started", ""), 10);
  assert.equal(run.report.nodes.find((n) => n.id === "db")!.startMs, 10);
});

test("needing a supervisor waits for all its children and gets their handles by name, frozen", async () => {
  const plan = buildApp([
    supervisor("workers", {}, [service("mailer"), service("indexer")]),
    service("api", { needs: ["workers", { key: "store", target: "workers.indexer" }] }),
  ]);
  let deps: Record<string, unknown> | undefined;
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      "workers.mailer": (scope) => scope.sleep(30).then(() => ({ mails: true })),
      "workers.indexer": async () => ({ index: true }),
      api: (scope) => {
        deps = scope.deps;
        return {};
      },
    }),
    { actions: [signalAt(100)] },
  );
  assert.is(run.at("started", "workers"), 30);
  assert.is(run.at("starting", "api"), 30);
  assert.equal(deps, { workers: { mailer: { mails: true }, indexer: { index: true } }, store: { index: true } });
  assert.ok(Object.isFrozen(deps) && Object.isFrozen(deps!.workers));
  assert.equal(Object.keys(deps!), ["workers", "store"]);
});

test("deps are the handles taken when the start began, whenever they are read", async () => {
  const plan = buildApp([service("db"), service("api", { needs: ["db"] })]);
  let apiScope: ServiceScope<{ db: unknown }> | undefined;
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      db: () => ({ pool: 1 }),
      api: (scope) => {
        apiScope = scope as ServiceScope<{ db: unknown }>;
        return {};
      },
    }),
    { actions: [signalAt(100)] },
  );
  assert.is(run.result.exitCode, 0);
  // Read for the first time after db has stopped: still the handle api started with.
  const deps = apiScope!.deps;
  assert.equal(deps, { db: { pool: 1 } });
  assert.ok(Object.isFrozen(deps));
  assert.is(apiScope!.deps, deps, "built once");
});

test("an ancestor's startAfter holds back its descendants", async () => {
  const plan = buildApp([service("db"), supervisor("workers", { startAfter: ["db"] }, [service("mailer")])]);
  const run = await simulate(plan, { signal: "SIGTERM", doubles: { db: { startMs: 25 } } });
  assert.is(run.at("starting", "workers"), 25);
  assert.is(run.at("starting", "workers.mailer"), 25);
});

test("a failed start rolls back what started, in stop order, and never starts dependents", async () => {
  const plan = buildApp([
    service("db"),
    service("cache", { needs: ["db"] }),
    service("queue"),
    service("api", { needs: ["cache", "queue"] }),
    service("web", { needs: ["api"] }),
  ]);
  const run = await simulate(plan, {
    doubles: { queue: { startMs: 20, failStart: true }, db: { stopMs: 7 } },
  });
  assert.is(run.exitCode, 1);
  assert.is(run.at("start-failed", "queue"), 20);
  for (const id of ["api", "web"]) assert.is(run.at("starting", id), undefined, `${id} must not start`);
  assert.equal(run.order("stopped").filter((id) => id !== ""), ["cache", "queue", "db"]);
  assert.is(run.at("stopped", "db"), 27);
  assert.equal(run.report.failed, ["queue"]);
  assert.equal(run.report.stopped, ["db", "cache"]);
  assert.equal(run.report.neverStarted, ["api", "web"]);
  const cause = run.report.cause as Extract<ShutdownReason, { kind: "start-failed" }>;
  assert.is(cause.kind, "start-failed");
  assert.is(cause.service, "queue");
  assert.match(String(cause.error), /queue: start failed/);
});

test("the failed service's finalizers run, and the others see the start-failed reason", async () => {
  const plan = buildApp([service("db"), service("bad", { needs: ["db"] })]);
  const seen: string[] = [];
  const boom = new Error("cannot connect");
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      db: (scope) => {
        scope.defer(() => void seen.push(`db stopped: ${JSON.stringify(scope.signal.reason)}`));
        return {};
      },
      bad: (scope) => {
        scope.defer(() => void seen.push(`bad finalizer: ${scope.signal.reason?.kind}`));
        throw boom;
      },
    }),
  );
  assert.is(run.result.exitCode, 1);
  assert.equal(seen, ["bad finalizer: start-failed", `db stopped: {"kind":"start-failed","service":"bad","error":{}}`]);
  const failed = run.events.find((e) => e.type === "start-failed");
  assert.equal(failed, { type: "start-failed", id: "bad", error: boom, timedOut: false, at: 0 });
  assert.equal(run.result.report.nodes.find((n) => n.id === "bad")!.errors, [boom]);
});

test("a start that hangs fails at its start timeout with a timeout reason", async () => {
  const plan = buildApp([service("db"), service("slow", { startTimeoutMs: 200 })]);
  const run = await simulate(plan, { doubles: { slow: { hangStart: true } } });
  assert.is(run.exitCode, 1);
  assert.is(run.at("start-failed", "slow"), 200);
  const failed = run.events.find((e) => e.type === "start-failed")!;
  assert.ok(failed.type === "start-failed" && failed.timedOut);
  assert.equal(run.report.cause, { kind: "timeout", service: "slow", budgetMs: 200 });
  const stopping = run.events.find((e) => e.type === "stopping" && e.id === "db")!;
  assert.ok(stopping.type === "stopping");
  assert.equal(stopping.reason, { kind: "timeout", service: "slow", budgetMs: 200 });
  assert.is(run.at("stopped", "db"), 200);
});

test("starts in flight when another fails are cancelled, and honouring that is not a failure", async () => {
  const plan = buildApp([service("slow"), service("bad")]);
  const run = await simulate(plan, { doubles: { slow: { startMs: 100 }, bad: { startMs: 10, failStart: true } } });
  assert.is(run.exitCode, 1);
  assert.is(run.at("started", "slow"), undefined);
  assert.is(run.at("stopped", "slow"), 10);
  assert.equal(run.report.stopped, ["slow"]);
  assert.equal(run.report.failed, ["bad"]);
  assert.equal(run.report.nodes.find((n) => n.id === "slow")!.errors, []);
});

test("a task that rejects before start returns fails the start", async () => {
  const plan = buildApp([service("svc")]);
  const boom = new Error("task died");
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      svc: async (scope: ServiceScope) => {
        scope.go("early", async () => {
          await scope.sleep(5);
          throw boom;
        });
        await scope.sleep(50);
        return {};
      },
    }),
  );
  assert.is(run.result.exitCode, 1);
  assert.is(run.at("start-failed", "svc"), 5);
  assert.equal(run.result.report.cause, { kind: "start-failed", service: "svc", error: boom });
});

test("a synchronous throw and a sync handle both work", async () => {
  const plan = buildApp([service("a"), service("b", { needs: ["a"] })]);
  let got: unknown;
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      a: () => 42,
      b: (scope) => {
        got = scope.deps.a;
        throw "plain string";
      },
    }),
  );
  assert.is(got, 42);
  assert.equal(run.result.report.cause, { kind: "start-failed", service: "b", error: "plain string" });
});

test.run();

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { VirtualClock } from "../../runtime/host/clock.ts";
import type { RunResult } from "../../runtime/api/events.ts";
import { runApp, runMain } from "../../runtime/main/run-app.ts";
import { createTestHost } from "../../runtime/testing/index.ts";
import type { ChildScope, ServiceScope } from "../../runtime/api/types.ts";
import { bindAll, runVirtual, signalAt } from "./harness.ts";
import { buildApp, service } from "./plans.ts";

const test = suite("runtime/run-app");

test("an error nobody can be blamed for is logged and shuts the app down with exit 1", async () => {
  const plan = buildApp([service("a"), service("b", { needs: ["a"] })]);
  const boom = new Error("stray callback");
  const run = await runVirtual(plan, bindAll(plan), { actions: [[40, (host) => host.raise(boom, "uncaughtException")]] });
  assert.is(run.result.exitCode, 1);
  assert.equal(run.result.report.cause, { kind: "sibling-failed", service: "", error: boom });
  assert.equal(run.result.report.nodes[0]!.errors, [boom]);
  assert.equal(run.order("stopped"), ["b", "a", ""]);
  assert.is(run.host.logs.find((l) => l.includes("uncaughtException"))!, "[app] uncaughtException: Error: stray callback");
  assert.ok(run.host.logs.some((l) => l.startsWith("[app]   at ")), "the stack follows");
  assert.is(run.host.handlerCount, 0);
});

test("a fatal error during a clean shutdown still makes it exit 1", async () => {
  const plan = buildApp([service("a")]);
  const clock = new VirtualClock();
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      a: (scope) => scope.go("drain", (signal) => new Promise((resolve) => signal.addEventListener("abort", () => clock.setTimeout(() => resolve(1), 30)))),
    }),
    { clock, actions: [signalAt(10), [20, (host) => host.raise(new Error("late"))]] },
  );
  assert.is(run.result.exitCode, 1);
  assert.is(run.at("stopped", "a"), 40);
  assert.equal(run.result.report.cause, { kind: "signal", signal: "SIGTERM" });
});

test("services log through their scope, attributed to them", async () => {
  const plan = buildApp([service("db")], { name: "shop" });
  const run = await runVirtual(plan, bindAll(plan, { db: (scope) => scope.log("pool ready with 4 connections") }), {
    actions: [signalAt(1)],
  });
  assert.ok(run.host.logs.includes("[shop] db: pool ready with 4 connections"));
});

test("the service scope: frozen, named, with child scopes that are cancelled with it and leave nothing behind", async () => {
  const plan = buildApp([service("api")]);
  let seen: ServiceScope | undefined;
  let request: ChildScope | undefined;
  let childReason: unknown;
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      api: (scope) => {
        seen = scope;
        for (let i = 0; i < 1000; i++) void scope.child("done").close();
        request = scope.child("request");
        request.go("handler", (signal) => new Promise((resolve) => signal.addEventListener("abort", () => resolve((childReason = signal.reason)))));
        return {};
      },
    }),
    { actions: [signalAt(5)] },
  );
  assert.ok(Object.isFrozen(seen));
  assert.is(seen!.id, "api");
  assert.is(seen!.name, "api");
  assert.is(request!.id, "api/request");
  assert.equal(childReason, { kind: "signal", signal: "SIGTERM" });
  assert.is(run.result.exitCode, 0);
  assert.throws(() => seen!.go("late", () => {}), /the scope has closed/);
});

test("scope methods can be taken apart, and a hung task is reported with where it was started", async () => {
  const plan = buildApp([service("worker", { stopTimeoutMs: 100 })]);
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      worker: (scope) => {
        const { go, defer, sleep, log } = scope;
        defer(() => log("never reached"));
        go("stuck", () => new Promise(() => {}));
        return sleep(5).then(() => ({}));
      },
    }),
    { actions: [signalAt(10)] },
  );
  const worker = run.result.report.nodes.find((n) => n.id === "worker")!;
  assert.is(worker.state, "abandoned");
  assert.equal(worker.pendingTasks.map((t) => t.name), ["stuck"]);
  assert.match(worker.pendingTasks[0]!.startedAt ?? "", /run-app\.test\.ts/);
  assert.is(worker.pendingFinalizers, 1);
});

test("a needs key that is also an Object.prototype name is just a key", async () => {
  const plan = buildApp([service("db"), service("api", { needs: [{ key: "__proto__", target: "db" }, { key: "constructor", target: "db" }] })]);
  let deps: Record<string, unknown> | undefined;
  await runVirtual(plan, bindAll(plan, { db: () => "the pool", api: (scope) => ((deps = scope.deps), {}) }), { actions: [signalAt(1)] });
  assert.equal(Object.keys(deps!), ["__proto__", "constructor"]);
  assert.is(Object.getOwnPropertyDescriptor(deps, "__proto__")!.value, "the pool");
  assert.is(Object.getPrototypeOf(deps), Object.prototype);
  assert.ok(Object.isFrozen(deps));
});

test("a throwing onEvent observer is reported and does not disturb the run", async () => {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  const plan = buildApp([service("a")]);
  const result = runApp(plan, bindAll(plan), {
    host,
    onEvent: (e) => {
      if (e.type === "started" && e.id === "a") throw new Error("observer bug");
      if (e.type === "started" && e.id === "") clock.setTimeout(() => host.sendSignal("SIGTERM"), 1);
    },
  });
  await clock.runAll();
  assert.is((await result).exitCode, 0);
  assert.ok(host.logs.includes("[app] a: error in the onEvent callback (started): Error: observer bug"));
});

test('log: "none" writes nothing', async () => {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  const plan = buildApp([service("a")]);
  const result = runApp(plan, bindAll(plan), { host, log: "none" });
  clock.setTimeout(() => host.sendSignal("SIGINT"), 10);
  await clock.runAll();
  assert.is((await result).exitCode, 0);
  assert.equal(host.logs, []);
});

test("finalizer errors after a service was abandoned are still recorded and logged", async () => {
  const plan = buildApp([service("slow", { stopTimeoutMs: 50 })]);
  const clock = new VirtualClock();
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      slow: (scope) => {
        scope.defer(() => {
          throw new Error("closed too late");
        });
        scope.go("drain", (signal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => clock.setTimeout(resolve, 80))));
      },
    }),
    { clock, actions: [signalAt(0)] },
  );
  assert.is(run.result.exitCode, 1);
  assert.equal(run.result.report.abandoned, ["slow"]);
  await clock.runAll();
  assert.ok(run.host.logs.includes("[app] slow: error after it was abandoned: Error: closed too late"));
});

test("runApp keeps the host alive while it runs, and lets go at the end", async () => {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  let holds = 0;
  const plan = buildApp([service("a")]);
  const result = runApp(plan, bindAll(plan), {
    host: {
      ...host,
      keepAlive: () => {
        holds++;
        return () => holds--;
      },
    },
    log: "none",
  });
  await clock.advance(5);
  assert.is(holds, 1);
  host.sendSignal("SIGTERM");
  await clock.runAll();
  await result;
  assert.is(holds, 0);
});

test("runMain exits through the host with the code, and explains a plan it cannot run", async () => {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  const plan = buildApp([service("a")]);
  const main = runMain(plan, bindAll(plan), { host });
  await clock.advance(1);
  host.sendSignal("SIGTERM");
  await clock.runAll();
  await main;
  assert.equal(host.exitCodes, [0]);

  const broken = createTestHost(clock);
  await runMain(plan, {}, { host: broken });
  assert.equal(broken.exitCodes, [1]);
  assert.match(broken.logs[0]!, /^\[app\] cannot run: invalid plan for app "app":/);
});

test("runMain refuses a plan from another compile than main.ts, before anything starts", async () => {
  const clock = new VirtualClock();
  const plan = { ...buildApp([service("a")]), generation: "1111111111111111" };
  let started = 0;
  const bindings = bindAll(plan, { a: () => void started++ });
  const mixed = createTestHost(clock);
  await runMain(plan, bindings, { host: mixed, generation: "2222222222222222" });
  assert.equal(mixed.exitCodes, [1]);
  assert.equal(mixed.logs, ["[app] cannot run: generated files are from different compiles (plan.ts 1111111111111111, main.ts 2222222222222222): run supervise compile again"]);
  const { generation: _generation, ...handWritten } = plan;
  const refused = await runApp(handWritten, bindings, { host: createTestHost(clock), generation: "2222222222222222" }).then(
    () => "ran",
    (error: Error) => error.message,
  );
  assert.match(refused, /\(plan\.ts none, main\.ts 2222222222222222\)/);
  assert.is(started, 0);
});

test("the report of a clean run", async () => {
  const plan = buildApp([service("a", { needs: ["b"] }), service("b")]);
  const run = await runVirtual(plan, bindAll(plan), { actions: [signalAt(20)] });
  const report: RunResult["report"] = run.result.report;
  assert.equal(
    report.nodes.map((n) => [n.id, n.kind, n.state, n.starts, n.restarts, n.stopReason?.kind ?? null, n.errors.length]),
    [
      ["", "supervisor", "stopped", 1, 0, null, 0],
      ["a", "service", "stopped", 1, 0, "signal", 0],
      ["b", "service", "stopped", 1, 0, "signal", 0],
    ],
  );
  assert.is(report.durationMs, 20);
  assert.is(report.app, "app");
});

test.run();

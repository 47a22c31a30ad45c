import { suite } from "uvu";
import * as assert from "uvu/assert";
import { simulate } from "../../runtime/testing/index.ts";
import type { ShutdownReason } from "../../runtime/api/types.ts";
import { bindAll, runVirtual, signalAt } from "./harness.ts";
import { buildApp, buildShop, service, supervisor } from "./plans.ts";

const test = suite("runtime/shutdown");

const SIGTERM: ShutdownReason = { kind: "signal", signal: "SIGTERM" };

test("the shop stops in its phases (api -> workers -> cache, db), each when its blockers are done", async () => {
  const run = await simulate(buildShop(), {
    signal: "SIGTERM",
    doubles: {
      api: { stopMs: 10 },
      "workers.mailer": { stopMs: 5 },
      "workers.indexer": { stopMs: 20 },
      cache: { stopMs: 3 },
      db: { stopMs: 4 },
    },
  });
  assert.is(run.exitCode, 0);
  const t0 = run.at("signal", "")!;
  const rel = (type: "stopping" | "stopped", id: string) => run.at(type, id)! - t0;
  assert.equal(
    ["api", "workers.mailer", "workers.indexer", "cache", "db"].map((id) => [id, rel("stopping", id), rel("stopped", id)]),
    [
      ["api", 0, 10],
      ["workers.mailer", 10, 15],
      ["workers.indexer", 10, 30],
      ["cache", 30, 33],
      ["db", 30, 34],
    ],
  );
  assert.equal(run.order("stopped"), ["api", "workers.mailer", "workers.indexer", "workers", "cache", "db", ""]);
  assert.equal(run.report.stopped, ["db", "cache", "workers.mailer", "workers.indexer", "api"]);
  assert.equal(run.report.cause, SIGTERM);
  assert.equal(run.logs.at(-1), "[shop] exit 0: 5 stopped");
});

test("every service and supervisor sees the signal as its stop reason", async () => {
  const plan = buildApp([service("a"), supervisor("s", {}, [service("b")])]);
  const reasons: unknown[] = [];
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      a: (scope) => scope.defer(() => void reasons.push(["a", scope.signal.reason])),
      "s.b": (scope) => scope.defer(() => void reasons.push(["s.b", scope.signal.reason])),
    }),
    { actions: [signalAt(5, "SIGINT")] },
  );
  const SIGINT = { kind: "signal", signal: "SIGINT" };
  assert.equal(reasons, [
    ["a", SIGINT],
    ["s.b", SIGINT],
  ]);
  const stopping = run.events.filter((e) => e.type === "stopping");
  assert.equal(
    stopping.map((e) => [e.id, e.type === "stopping" && e.reason]),
    [
      ["", SIGINT],
      ["a", SIGINT],
      ["s", SIGINT],
      ["s.b", SIGINT],
    ],
  );
  assert.is(run.host.handlerCount, 0, "the run removed its signal and fatal handlers");
});

test("a service that overruns its stop timeout is abandoned, named with what it still runs, and the rest go on", async () => {
  const plan = buildApp([service("hung", { stopTimeoutMs: 100 }), service("after", { stopAfter: ["hung"] })]);
  const run = await simulate(plan, { signal: "SIGTERM", doubles: { hung: { hangStop: true, failStop: true } } });
  assert.is(run.exitCode, 1);
  const t0 = run.at("signal", "")!;
  assert.is(run.at("abandoned", "hung")! - t0, 100);
  assert.is(run.at("stopping", "after")! - t0, 100);
  assert.equal(run.report.abandoned, ["hung"]);
  assert.equal(run.report.stopped, ["after"]);
  const hung = run.report.nodes.find((n) => n.id === "hung")!;
  assert.equal([hung.budgetMs, hung.pendingTasks.map((t) => t.name), hung.pendingFinalizers], [100, ["loop"], 1]);
  assert.ok(run.logs.includes("[app] hung abandoned after 100ms stop timeout (still running: loop; 1 finalizer(s) not run)"));
  assert.equal(run.logs.at(-1), "[app] exit 1: hung did not stop within its 100ms stop timeout; 1 stopped, 1 abandoned (hung)");
});

test("a stop timeout of 0 abandons at once, and what waits on it goes on at once", async () => {
  const plan = buildApp([service("fire-and-forget", { stopTimeoutMs: 0 }), service("db", { stopAfter: ["fire-and-forget"] })]);
  const run = await simulate(plan, { signal: "SIGTERM", doubles: { "fire-and-forget": { stopMs: 50 } } });
  const t0 = run.at("signal", "")!;
  assert.is(run.at("abandoned", "fire-and-forget")! - t0, 0);
  assert.is(run.at("stopped", "db")! - t0, 0);
  assert.equal(run.report.abandoned, ["fire-and-forget"]);
});

test("a supervisor's stop timeout bounds its whole subtree, what has not begun stopping included", async () => {
  const plan = buildApp([
    supervisor("workers", { stopTimeoutMs: 300 }, [
      service("mailer", { stopTimeoutMs: 5000 }),
      service("indexer", { stopAfter: ["workers.mailer"] }),
      service("quick", { stopAfter: ["workers.mailer"] }),
    ]),
    service("db", { stopAfter: ["workers"] }),
  ]);
  const run = await simulate(plan, {
    signal: "SIGTERM",
    doubles: { "workers.mailer": { hangStop: true }, "workers.indexer": { stopMs: 10 } },
  });
  const t0 = run.at("signal", "")!;
  assert.is(run.exitCode, 1);
  assert.is(run.at("abandoned", "workers.mailer")! - t0, 300);
  // Told to stop only when the budget ran out: indexer needs time and is abandoned, quick stops at once.
  assert.is(run.at("stopping", "workers.indexer")! - t0, 300);
  assert.is(run.at("abandoned", "workers.indexer")! - t0, 300);
  assert.is(run.at("stopped", "workers.quick")! - t0, 300);
  assert.is(run.at("abandoned", "workers")! - t0, 300);
  assert.is(run.at("stopping", "db")! - t0, 300);
  const indexer = run.events.find((e) => e.type === "stopping" && e.id === "workers.indexer")!;
  assert.equal(indexer.type === "stopping" && indexer.reason, { kind: "timeout", service: "workers", budgetMs: 300 });
  assert.equal(run.report.abandoned, ["workers.mailer", "workers.indexer"]);
  assert.equal(run.report.stopped, ["workers.quick", "db"]);
  assert.is(run.report.nodes.find((n) => n.id === "workers")!.state, "abandoned");
  assert.ok(run.logs.includes("[app] workers.mailer abandoned: supervisor workers stop timeout of 300ms expired (still running: loop)"));
  assert.ok(run.logs.includes("[app] supervisor workers did not stop within its 300ms stop timeout (still running: workers.mailer: loop, workers.indexer: loop)"));
});

test("when grace runs out, everything still stopping or waiting is abandoned and named, exit 1", async () => {
  const plan = buildApp(
    [
      service("db", { stopAfter: ["api"], stopTimeoutMs: 60_000 }),
      service("api", { stopTimeoutMs: 60_000 }),
      service("quick"),
      service("log", { stopAfter: ["api"] }),
    ],
    { graceMs: 1000 },
  );
  const run = await simulate(plan, { signal: "SIGTERM", doubles: { api: { hangStop: true }, db: { stopMs: 5 } } });
  const t0 = run.at("signal", "")!;
  assert.is(run.exitCode, 1);
  assert.is(run.at("exit", "")! - t0, 1000);
  assert.is(run.at("abandoned", "api")! - t0, 1000);
  assert.is(run.at("abandoned", "db")! - t0, 1000, "db never began stopping: told at 1000, it needs 5ms more");
  assert.is(run.at("stopped", "log")! - t0, 1000, "log, told at 1000, had nothing to wait for");
  assert.is(run.at("abandoned", "")! - t0, 1000);
  assert.equal(run.report.abandoned, ["db", "api"]);
  assert.equal(run.report.stopped, ["quick", "log"]);
  assert.ok(run.logs.includes("[app] api abandoned: grace period of 1s expired (still running: loop)"));
});

test("a second signal forces exit at once with 128+n, naming what still runs", async () => {
  const plan = buildApp([service("a"), service("b")]);
  for (const [second, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const) {
    const run = await simulate(plan, { signal: "SIGTERM", secondSignal: { signal: second, afterMs: 250 }, doubles: { a: { hangStop: true } } });
    assert.is(run.exitCode, code);
    assert.is(run.at("exit", "")! - run.at("signal", "")!, 250);
    assert.equal(run.order("signal"), ["", ""]);
    assert.is(run.report.forcedBy, second);
    assert.equal(run.report.running, ["a"]);
    assert.equal(run.report.stopped, ["b"]);
    assert.equal(run.logs.at(-1), `[app] exit ${code}: forced by a second ${second}; 1 stopped, 1 still running (a)`);
    assert.ok(run.logs.includes(`[app] received ${second} while stopping: exiting now`));
  }
});

test("a signal during startup stops what started, starts nothing more, and exits 0", async () => {
  const plan = buildApp([service("db"), service("api", { needs: ["db"] }), service("cache")]);
  const run = await simulate(plan, { signal: "SIGTERM", signalAtMs: 40, doubles: { db: { startMs: 100 }, cache: { startMs: 10 } } });
  assert.is(run.exitCode, 0);
  assert.is(run.at("starting", "api"), undefined);
  assert.is(run.at("started", "db"), undefined);
  assert.is(run.at("stopped", "db"), 40, "its start was cancelled and it honoured that");
  assert.is(run.at("stopped", "cache"), 40);
  assert.equal(run.report.stopped, ["db", "cache"]);
  assert.equal(run.report.neverStarted, ["api"]);
});

test("a start that ignores the shutdown is bounded by its stop timeout and abandoned with 'start' pending", async () => {
  const plan = buildApp([service("stuck", { startTimeoutMs: 10_000, stopTimeoutMs: 200 })]);
  const run = await simulate(plan, { signal: "SIGTERM", signalAtMs: 10, doubles: { stuck: { hangStart: true } } });
  assert.is(run.exitCode, 1);
  assert.is(run.at("abandoned", "stuck"), 210);
  assert.equal(run.report.nodes.find((n) => n.id === "stuck")!.pendingTasks.map((t) => t.name), ["start"]);
});

test("a finalizer error during shutdown is reported and makes the exit code 1", async () => {
  const plan = buildApp([service("a"), service("b")]);
  const run = await simulate(plan, { signal: "SIGTERM", doubles: { b: { failStop: true } } });
  assert.is(run.exitCode, 1);
  const stopped = run.events.find((e) => e.type === "stopped" && e.id === "b")!;
  assert.ok(stopped.type === "stopped");
  assert.equal(stopped.errors.map((e) => (e as Error).message), ["b: stop failed (test double)"]);
  assert.equal(run.report.stopped, ["a", "b"]);
  assert.equal(run.report.nodes.find((n) => n.id === "b")!.errors.length, 1);
  assert.ok(run.logs.includes("[app] b stopped in 0ms with 1 error(s)"));
});

test("a task failing with a real error while stopping makes the exit code 1; an abort-shaped one does not", async () => {
  const plan = buildApp([service("svc")]);
  for (const [error, code] of [
    [new Error("flush failed"), 1],
    [Object.assign(new Error("aborted"), { name: "AbortError" }), 0],
  ] as const) {
    const run = await runVirtual(
      plan,
      bindAll(plan, {
        svc: (scope) => scope.go("loop", (signal) => new Promise((_r, reject) => signal.addEventListener("abort", () => reject(error)))),
      }),
      { actions: [signalAt(1)] },
    );
    assert.is(run.result.exitCode, code);
  }
});

test("a start cancelled by the shutdown settles at once and releases what waits on it", async () => {
  const plan = buildApp([service("a", { restart: "temporary" }), service("b", { stopAfter: ["a"] })]);
  const run = await simulate(plan, { signal: "SIGTERM", signalAtMs: 5, doubles: { a: { startMs: 50 } } });
  assert.is(run.at("stopping", "b"), 5);
  assert.is(run.exitCode, 0);
});

test.run();

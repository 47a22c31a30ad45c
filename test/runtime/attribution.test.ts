// Uncaught errors raised from a service's own code are that service's crash. On virtual time the
// test host's `raise` stands in for the process's uncaughtException/unhandledRejection events; it
// is called from the service's timers and listeners, whose async context is what attributes it
// (real-host.test.ts checks the same on a real process).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { VirtualClock } from "../../runtime/host/clock.ts";
import type { RuntimeEvent } from "../../runtime/api/events.ts";
import { runApp } from "../../runtime/main/run-app.ts";
import { createTestHost, type TestHost } from "../../runtime/testing/index.ts";
import { bindAll, runVirtual, signalAt } from "./harness.ts";
import { buildApp, service } from "./plans.ts";

const test = suite("runtime/attribution");

/** A start that, on its first incarnation only, has a callback raise `error` `afterMs` later. */
function raisesOnce(clock: VirtualClock, host: () => TestHost, error: Error, afterMs: number, origin = "uncaughtException") {
  let incarnation = 0;
  return () => {
    if (incarnation++ === 0) clock.setTimeout(() => host().raise(error, origin), afterMs);
    return { incarnation };
  };
}

test("an error raised by a service's timer crashes that service: its policy applies, the rest keep running", async () => {
  const clock = new VirtualClock();
  const plan = buildApp([service("db"), service("api", { needs: ["db"] }), service("other")]);
  const boom = new Error("socket error");
  let host: TestHost | undefined;
  const run = await runVirtual(plan, bindAll(plan, { db: raisesOnce(clock, () => host!, boom, 30, "unhandledRejection") }), {
    clock,
    actions: [[0, (h) => void (host = h)], signalAt(100)],
  });
  const crashed = run.events.find((e) => e.type === "crashed")!;
  assert.equal(crashed, { type: "crashed", id: "db", error: boom, task: "", origin: "unhandledRejection", at: 30 });
  assert.equal(run.order("restarting"), ["db", "api"]);
  assert.equal(run.result.report.cause, { kind: "signal", signal: "SIGTERM" });
  assert.is(run.result.exitCode, 0);
  assert.equal(run.result.report.nodes.find((n) => n.id === "db")!.errors, [boom]);
  assert.equal(run.result.report.nodes[0]!.errors, [], "nothing is blamed on the app");
  assert.ok(run.host.logs.includes("[app] db crashed: Error: socket error (unhandledRejection)"));
});

test("an error raised while the service starts fails its start", async () => {
  const clock = new VirtualClock();
  const plan = buildApp([service("db")]);
  const boom = new Error("handshake failed");
  let host: TestHost | undefined;
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      db: (scope) => {
        clock.setTimeout(() => host!.raise(boom), 5);
        return scope.sleep(50).then(() => ({}));
      },
    }),
    { clock, actions: [[0, (h) => void (host = h)]] },
  );
  assert.is(run.at("start-failed", "db"), 5);
  assert.equal(run.result.report.cause, { kind: "start-failed", service: "db", error: boom });
  assert.is(run.result.exitCode, 1);
});

test("an abort listener runs in its service's context: what it raises is that service's error, whoever cancelled", async () => {
  const clock = new VirtualClock();
  const plan = buildApp([service("api")]);
  const boom = new Error("listener threw");
  let host: TestHost | undefined;
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      // EventTarget reports a listener's throw on the next tick, in the context abort() ran in.
      api: (scope) => {
        scope.signal.addEventListener("abort", () => process.nextTick(() => host!.raise(boom, "uncaughtException")));
        scope.go("drain", (signal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => clock.setTimeout(resolve, 5))));
      },
    }),
    { clock, actions: [[0, (h) => void (host = h)], signalAt(10)] },
  );
  assert.is(run.result.exitCode, 1, "an error while stopping fails the shutdown");
  assert.equal(run.result.report.nodes.find((n) => n.id === "api")!.errors, [boom]);
  assert.equal(run.result.report.nodes[0]!.errors, []);
  assert.ok(run.host.logs.some((l) => l.startsWith("[app] api: error (uncaughtException) while it was stopping: Error: listener threw")), run.host.logs.join("\n"));
});

test("an error from a replaced incarnation's callback is its late error, not a crash of the new one", async () => {
  const clock = new VirtualClock();
  const plan = buildApp([service("db")]);
  const boom = new Error("flush callback failed");
  let host: TestHost | undefined;
  let incarnation = 0;
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      db: (scope) => {
        if (incarnation++ > 0) return {};
        // The first incarnation crashes at 10; its finalizer leaves a callback that fails at 15.
        scope.defer(() => void clock.setTimeout(() => host!.raise(boom, "uncaughtException"), 5));
        scope.go("work", () => scope.sleep(10).then(() => Promise.reject(new Error("crash"))));
        return {};
      },
    }),
    { clock, actions: [[0, (h) => void (host = h)], signalAt(50)] },
  );
  assert.equal(run.order("crashed"), ["db"]);
  assert.equal(run.order("restarting"), ["db"]);
  assert.ok(run.host.logs.includes("[app] db: error (uncaughtException) after it stopped: Error: flush callback failed"), run.host.logs.join("\n"));
  assert.equal(run.result.report.nodes.find((n) => n.id === "db")!.errors.at(-1), boom);
  assert.is(run.result.exitCode, 0, "during a run, a late error is reported but fails nothing");
});

test("an error from outside every service is nobody's: the app shuts down with exit 1", async () => {
  const plan = buildApp([service("a")]);
  const boom = new Error("stray");
  const run = await runVirtual(plan, bindAll(plan), { actions: [[20, (h) => h.raise(boom)]] });
  assert.equal(run.result.report.cause, { kind: "sibling-failed", service: "", error: boom });
  assert.is(run.result.exitCode, 1);
});

test("two apps in one process: an error attributed to one app's service leaves the other app alone", async () => {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  const boom = new Error("only mine");
  const first = buildApp([service("a")], { name: "first" });
  const second = buildApp([service("b")], { name: "second" });
  const events: RuntimeEvent[] = [];
  const runs = [
    runApp(first, bindAll(first, { a: raisesOnce(clock, () => host, boom, 10) }), { host, onEvent: (e) => events.push(e) }),
    runApp(second, bindAll(second), { host, onEvent: (e) => events.push(e) }),
  ];
  await clock.advance(50);
  host.sendSignal("SIGTERM");
  await clock.runAll();
  const [a, b] = await Promise.all(runs);
  assert.equal([a!.exitCode, b!.exitCode], [0, 0]);
  assert.equal(events.filter((e) => e.type === "crashed").map((e) => e.id), ["a"]);
  assert.equal(b!.report.cause, { kind: "signal", signal: "SIGTERM" });
});

test("attributeErrors: false leaves every uncaught error to the fatal path", async () => {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  const plan = buildApp([service("db")]);
  const boom = new Error("socket error");
  const result = runApp(plan, bindAll(plan, { db: raisesOnce(clock, () => host, boom, 30) }), { host, log: "none", attributeErrors: false });
  await clock.runAll();
  const { exitCode, report } = await result;
  assert.is(exitCode, 1);
  assert.equal(report.cause, { kind: "sibling-failed", service: "", error: boom });
});

test.run();

// A complete lifecycle log: a failed start shows where in the service's code it failed, the last
// line says why the exit code is what it is, and every JSON record has a level.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { ShutdownReport } from "../../../runtime/api/events.ts";
import { findLevel } from "../../../runtime/logs/log-json.ts";
import { createTextLog, summarize } from "../../../runtime/logs/log.ts";
import { bindAll, runVirtual, signalAt } from "../harness.ts";
import { buildApp, service } from "../plans.ts";

const test = suite("runtime/logs-text");

const plan = buildApp([service("db"), service("api", { needs: ["db"], stopTimeoutMs: 1_000 })]);

function connectToPool(): never {
  throw new Error("connection refused");
}

test("a failed start shows the frames of the service's code, not the runtime's", async () => {
  const run = await runVirtual(plan, bindAll(plan, { api: function startApi() { return connectToPool(); } }));
  const logs = run.host.logs;
  const failed = logs.indexOf("[app] api failed to start: Error: connection refused");
  assert.ok(failed >= 0, logs.join("\n"));
  const frames = logs.slice(failed + 1).filter((line) => line.startsWith("[app]   at "));
  assert.match(frames[0] ?? "", /^\[app\] {3}at connectToPool \(.*complete-log\.test\.ts:\d+:\d+\)$/);
  assert.match(frames[1] ?? "", /^\[app\] {3}at startApi \(/);
  assert.ok(frames.every((line) => !line.includes("/runtime/engine/") && !line.includes("node:internal")), frames.join("\n"));
  assert.is(logs.at(-1), "[app] exit 1: api failed to start: Error: connection refused; 1 stopped, 1 failed (api)");
});

test("the last line says why: a service that overran its stop timeout", async () => {
  const stubborn = bindAll(plan, { api: (scope) => scope.go("loop", () => new Promise(() => {})) });
  const run = await runVirtual(plan, stubborn, { actions: [signalAt(10)] });
  assert.is(run.host.logs.at(-1), "[app] exit 1: api did not stop within its 1s stop timeout; 1 stopped, 1 abandoned (api)");
});

test("the last line of a clean stop and of a forced exit stay as they were", () => {
  const base = { exitCode: 0, forcedBy: undefined, cause: { kind: "signal", signal: "SIGTERM" }, nodes: [], stopped: ["a"], abandoned: [], failed: [], running: [], neverStarted: [] };
  assert.is(summarize(base as unknown as ShutdownReport), "exit 0: 1 stopped");
  const forced = { ...base, exitCode: 143, forcedBy: "SIGTERM", stopped: [], running: ["a"] };
  assert.is(summarize(forced as unknown as ShutdownReport), "exit 143: forced by a second SIGTERM; 1 still running (a)");
});

test("the last line names the service that blocked the event loop when the watchdog ended the run", () => {
  const base = { exitCode: 1, forcedBy: undefined, cause: { kind: "signal", signal: "SIGTERM" }, nodes: [], stopped: [], abandoned: ["api"], failed: [], running: [], neverStarted: [] };
  const grace = { ...base, blocked: { verdict: "grace", service: "api", budgetMs: 2000 } };
  assert.is(summarize(grace as unknown as ShutdownReport), "exit 1: api blocked the event loop past the 2s grace period; 1 abandoned (api)");
  const start = { ...base, abandoned: [], running: ["api"], blocked: { verdict: "start", service: "api", budgetMs: 1000 } };
  assert.is(summarize(start as unknown as ShutdownReport), "exit 1: api blocked the event loop while starting; 1 still running (api)");
});

test("the watchdog's lines in the text log", () => {
  const lines: string[] = [];
  const log = createTextLog(plan, (line) => lines.push(line));
  const base = { at: 0, budgetMs: undefined, signal: undefined, busy: [] } as const;
  log.event({ ...base, type: "blocked", id: "api", verdict: "warning", blockedMs: 1200, stack: ["poll (file:///app/api.ts:3:5)"] });
  log.event({ ...base, type: "blocked", id: "", verdict: "grace", blockedMs: 2500, budgetMs: 2000, signal: "SIGTERM", stack: [], busy: ["api"] });
  log.event({ ...base, type: "blocked", id: "", verdict: "forced", blockedMs: 300, signal: "SIGINT", stack: [] });
  assert.equal(lines, [
    "[app] warning: api blocked the event loop for 1.2s",
    "[app]   at poll (file:///app/api.ts:3:5)",
    "[app] service code (running: api) blocked the event loop for 2.5s after SIGTERM: the grace period of 2s expired, exiting (watchdog)",
    "[app] received SIGINT while the event loop was blocked for 300ms: exiting now (watchdog)",
  ]);
});

test("every JSON record has a level: error for what went wrong, warn for what may be fine", () => {
  assert.is(findLevel("started", {}), "info");
  assert.is(findLevel("start-failed", {}), "error");
  assert.is(findLevel("crashed", {}), "error");
  assert.is(findLevel("restarting", {}), "warn");
  assert.is(findLevel("left-open", {}), "warn");
  assert.is(findLevel("stopped", { errors: [] }), "info");
  assert.is(findLevel("stopped", { errors: [new Error("x")] }), "warn");
  assert.is(findLevel("blocked", { verdict: "warning" }), "warn");
  assert.is(findLevel("blocked", { verdict: "grace" }), "error");
  assert.is(findLevel("summary", { exitCode: 0 }), "info");
  assert.is(findLevel("summary", { exitCode: 1 }), "error");
  assert.is(findLevel("exit", { code: 143 }), "error");
});

test.run();

// The drain and readiness in the engine, on virtual time: what happens around the drain that the
// generated contract does not try (a signal before the start completes, a failure or a second
// signal during the drain, the grace counted from the signal), and the health endpoints' answers
// read from the events.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { AppPlan } from "../../runtime/api/plan.ts";
import type { RuntimeEvent } from "../../runtime/api/events.ts";
import { HealthState } from "../../runtime/health/health-server.ts";
import { simulate } from "../../runtime/testing/simulate.ts";
import { indexPlan } from "../../runtime/engine/plan-index.ts";
import { buildApp, service } from "../runtime/plans.ts";

function withDrain(drainMs: number, graceMs = 10_000, intensity = 1): AppPlan {
  const plan = buildApp([service("db"), service("api", { needs: ["db"] })], { graceMs, intensity, periodMs: 60_000 });
  return { ...plan, drainMs, health: { port: 9464 } };
}

function readiness(events: readonly RuntimeEvent[]): [number, boolean, string][] {
  return events.flatMap((e) => (e.type === "readiness" ? [[e.at, e.ready, e.cause] as [number, boolean, string]] : []));
}

const test = suite("drain and readiness on virtual time");

test("ready once every service started, not ready at the signal; the stop begins after the drain; the report says so", async () => {
  const run = await simulate(withDrain(3_000), { signal: "SIGTERM", signalAtMs: 100 });
  assert.is(run.exitCode, 0);
  assert.equal(readiness(run.events), [[0, true, "started"], [100, false, "signal"]]);
  assert.is(run.at("stopping", ""), 3_100);
  assert.equal(run.report.readiness, { readyAtMs: 0, notReadyAtMs: 100, drainedMs: 3_000 });
});

test("a signal before every service has started skips the drain: nothing was ready", async () => {
  const run = await simulate(withDrain(3_000), { signal: "SIGTERM", signalAtMs: 50, doubles: { api: { startMs: 1_000 } } });
  assert.equal(readiness(run.events), []);
  assert.is(run.at("stopping", ""), 50);
  assert.is(run.report.readiness?.drainedMs, undefined);
});

test("a second signal during the drain exits at once with 128+n, the services still running", async () => {
  const run = await simulate(withDrain(3_000), { signal: "SIGTERM", signalAtMs: 100, secondSignal: { signal: "SIGINT", afterMs: 500 } });
  assert.is(run.exitCode, 130);
  assert.is(run.firstAt("exit"), 600);
  assert.equal(run.report.running, ["db", "api"]);
});

test("the root giving up during the drain stops at once, with exit 1", async () => {
  const run = await simulate(withDrain(3_000, 10_000, 0), { signal: "SIGTERM", signalAtMs: 100, doubles: { db: { crashAfterMs: 500 } } });
  assert.is(run.exitCode, 1);
  assert.is(run.at("stopping", ""), 500);
  assert.equal(run.report.cause, { kind: "restart-limit", supervisor: "" });
  assert.is(run.report.readiness?.drainedMs, 400);
});

test("the grace counts from the signal: drain 3s + a hung stop are cut at 5s after it", async () => {
  const run = await simulate(withDrain(3_000, 5_000), { signal: "SIGTERM", signalAtMs: 100, doubles: { api: { hangStop: true } } });
  assert.is(run.exitCode, 1);
  assert.is(run.firstAt("exit"), 5_100);
});

test("a plan whose drain does not fit in the grace is refused before anything starts", () => {
  assert.throws(() => indexPlan({ ...withDrain(3_000), drainMs: 20_000 }, {}), /drainMs must be .* shorter than graceMs/);
  assert.throws(() => indexPlan({ ...withDrain(3_000), health: { port: 0 } }, {}), /health.port must be a port/);
});

const health = suite("health endpoints: answers read from the events");

test("without health or drain, no readiness event is emitted (existing apps unchanged)", async () => {
  const { drainMs: _d, health: _h, ...plain } = withDrain(3_000);
  const run = await simulate(plain, { signal: "SIGTERM" });
  assert.equal(readiness(run.events), []);
  assert.is(run.report.readiness, undefined);
});

health("starting, ready, draining, failed", () => {
  const state = new HealthState();
  const at = (path: string): number => state.answer(path)!.status;
  assert.equal([at("/livez"), at("/startupz"), at("/readyz")], [200, 503, 503]);
  state.observe({ type: "started", id: "", at: 1, durationMs: 1 });
  state.observe({ type: "readiness", id: "", at: 1, ready: true, cause: "started" });
  assert.equal([at("/livez"), at("/startupz"), at("/readyz")], [200, 200, 200]);
  state.observe({ type: "readiness", id: "", at: 2, ready: false, cause: "signal" });
  assert.equal([at("/livez"), at("/startupz"), at("/readyz")], [200, 200, 503]);
  assert.match(state.answer("/readyz")!.body, /after a signal/);
  state.observe({ type: "stopping", id: "", at: 3, reason: { kind: "restart-limit", supervisor: "" } });
  assert.is(at("/livez"), 503);
  assert.is(state.answer("/healthz"), undefined);
});

test.run();
health.run();

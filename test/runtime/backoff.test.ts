import { suite } from "uvu";
import * as assert from "uvu/assert";
import { computeRestartDelay } from "../../runtime/engine/backoff.ts";
import { indexPlan } from "../../runtime/engine/plan-index.ts";
import { simulate } from "../../runtime/testing/index.ts";
import type { ServiceScope } from "../../runtime/api/types.ts";
import { bindAll, runVirtual, signalAt } from "./harness.ts";
import { buildApp, service, supervisor } from "./plans.ts";

const test = suite("runtime/backoff");

const BACKOFF = { minMs: 100, maxMs: 1000 };

/** Incarnation i crashes `plan[i]` ms after it started (undefined, or past the end: it keeps running). */
function crashes(plan: readonly (number | undefined)[]) {
  let incarnation = 0;
  return (scope: ServiceScope) => {
    const after = plan[incarnation++];
    if (after !== undefined) {
      scope.go("work", async (signal) => {
        await scope.sleep(after);
        if (!signal.aborted) throw new Error(`${scope.id} crash ${incarnation}`);
      });
    }
    return {};
  };
}

function delaysOf(events: readonly { type: string; id: string }[], id: string): number[] {
  return events.flatMap((e) => (e.type === "restarting" && e.id === id && "delayMs" in e ? [e.delayMs as number] : []));
}

test("the delay doubles from minMs up to maxMs; equal jitter keeps it within [step/2, step] and the spec's bounds", () => {
  const delays = (r: number) => [1, 2, 3, 4, 5, 6].map((k) => computeRestartDelay(BACKOFF, k, () => r));
  assert.equal(delays(0), [100, 100, 200, 400, 500, 500]);
  assert.equal(delays(0.5), [100, 150, 300, 600, 750, 750]);
  assert.equal(delays(0.999999), [100, 200, 400, 800, 1000, 1000]);
  assert.is(computeRestartDelay({ minMs: 0, maxMs: 0 }, 3, Math.random), 0);
  assert.is(computeRestartDelay(BACKOFF, 10_000, () => 0.5), 750, "a long series never overflows");
  assert.is(computeRestartDelay(BACKOFF, 1, () => 7), 100, "a random source out of range is clamped");
});

test("a crash loop slows down: each restart waits longer, on the clock, after its set has stopped", async () => {
  const plan = buildApp([service("flaky", { backoff: BACKOFF }), service("steady")], { intensity: 100, periodMs: 1000 });
  const run = await simulate(plan, { signalAtMs: 3000, signal: "SIGTERM", doubles: { flaky: { crashAfterMs: 10 } } });
  assert.equal(delaysOf(run.events, "flaky"), [100, 150, 300, 600, 750, 750, 750]);
  const starts = run.events.filter((e) => e.type === "starting" && e.id === "flaky").map((e) => e.at);
  // Each start: 10ms up, then the delay. The last wait (from 2720) is cut short by the signal.
  assert.equal(starts, [0, 110, 270, 580, 1190, 1950, 2710]);
  assert.equal(run.events.filter((e) => e.type === "stopped" && e.id === "flaky").map((e) => e.at).slice(0, 2), [10, 120]);
  assert.is(run.at("restarting", "steady"), undefined);
  assert.ok(run.logs.includes("[app] restarting flaky in 100ms (flaky ended; one_for_one in the app)"));
  assert.is(run.exitCode, 0);
});

test("the series starts again once the node stayed up for at least maxMs", async () => {
  const plan = buildApp([service("a", { backoff: BACKOFF })], { intensity: 100 });
  const run = await runVirtual(plan, bindAll(plan, { a: crashes([10, 10, 1000, 10, 999, 10]) }), { actions: [signalAt(10_000)] });
  // Up 10, 10: a series; up 1000 (= maxMs): a new one; up 10, then 999 (< maxMs): the series goes on.
  assert.equal(delaysOf(run.events, "a"), [100, 150, 100, 150, 300, 600]);
});

test("a service's own backoff overrides its supervisor's; without one, restarts are immediate", async () => {
  const plan = buildApp([
    supervisor("s", { backoff: { minMs: 500, maxMs: 500 }, intensity: 100 }, [service("own", { backoff: { minMs: 40, maxMs: 40 } }), service("inherits")]),
    service("none"),
  ]);
  const run = await simulate(plan, {
    signalAtMs: 2000,
    signal: "SIGTERM",
    doubles: { "s.own": { crashAfterMs: 1000 }, "s.inherits": { crashAfterMs: 1000 }, none: { crashAfterMs: 1000 } },
  });
  assert.equal([delaysOf(run.events, "s.own")[0], delaysOf(run.events, "s.inherits")[0], delaysOf(run.events, "none")[0]], [40, 500, 0]);
});

test("a restart is charged to the intensity when it happens, after its delay, not when the node crashed", async () => {
  // Restarts at 410, 820, 1230: the third is the third within 1s. Crashes were at 10, 420 and 830:
  // charging crashes would have given up at 830.
  const plan = buildApp([service("flaky", { backoff: { minMs: 400, maxMs: 400 } })], { intensity: 2, periodMs: 1000 });
  const run = await simulate(plan, { doubles: { flaky: { crashAfterMs: 10 } } });
  assert.equal(run.events.filter((e) => e.type === "crashed").map((e) => e.at), [10, 420, 830]);
  assert.equal(run.events.filter((e) => e.type === "started" && e.id === "flaky").map((e) => e.at), [0, 410, 820]);
  assert.is(run.at("gave-up", ""), 1230);
  assert.is(run.exitCode, 1);
  assert.equal(run.report.cause, { kind: "restart-limit", supervisor: "" });
});

test("a signal during a backoff wait cancels the restart at once: nothing left to stop, exit 0", async () => {
  const plan = buildApp([service("flaky", { backoff: { minMs: 5000, maxMs: 5000 } }), service("other", { needs: ["flaky"] })]);
  const run = await simulate(plan, { signalAtMs: 1000, signal: "SIGTERM", doubles: { flaky: { crashAfterMs: 100 } } });
  assert.equal(
    run.events.filter((e) => e.at >= 100).map((e) => `${e.at} ${e.type} ${e.id}`),
    [
      "100 crashed flaky",
      "100 restarting flaky",
      "100 restarting other",
      "100 stopping other",
      "100 stopped other",
      "100 stopping flaky",
      "100 stopped flaky",
      "1000 signal ",
      "1000 stopping ",
      "1000 stopped ",
      "1000 exit ",
    ],
  );
  assert.is(run.exitCode, 0);
  assert.equal(run.report.failed, ["flaky"]);
  assert.equal(run.report.stopped, ["other"]);
});

test("a restarted supervisor starts its children's backoff series afresh", async () => {
  const plan = buildApp([supervisor("s", { intensity: 1, periodMs: 60_000, backoff: { minMs: 10, maxMs: 10_000 } }, [service("a")])], {
    intensity: 5,
    periodMs: 60_000,
  });
  const run = await simulate(plan, { signalAtMs: 1000, signal: "SIGTERM", doubles: { "s.a": { crashAfterMs: 1 } } });
  // s restarts a after 10ms; a crashes again, s waits 15ms and then, charging that restart, gives
  // up; the app restarts s at once (no backoff of its own), and a's series begins again at 10ms.
  assert.equal(delaysOf(run.events, "s.a").slice(0, 3), [10, 15, 10]);
  assert.equal(delaysOf(run.events, "s")[0], 0);
  assert.ok(run.position("gave-up", "s") < run.position("restarting", "s"));
});

test("a plan with a malformed backoff is rejected before anything starts", () => {
  const plan = buildApp([service("a", { backoff: { minMs: 500, maxMs: 100 } }), service("b", { backoff: { minMs: -1, maxMs: Infinity } })]);
  assert.throws(() => indexPlan(plan, bindAll(plan)), /"a": backoff minMs \(500\) must not exceed maxMs \(100\)[^]*"b": backoff must be/);
});

test.run();

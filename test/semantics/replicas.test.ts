// Replicas at run time (runtime/engine/plan-index.ts): `replicas: N` runs N instances, each with
// its own scope and index, started and stopped in parallel, each restarted on its own under
// one_for_one; dependents get a frozen array of their handles.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { AppPlan, ServicePlan } from "../../runtime/api/plan.ts";
import { simulate } from "../../runtime/testing/index.ts";
import { bindAll, runVirtual, signalAt } from "../runtime/harness.ts";
import { buildApp, service, supervisor } from "../runtime/plans.ts";

const test = suite("semantics/replicas");

/** `plan` with `replicas` set on the service `id`. */
function withReplicas(plan: AppPlan, id: string, replicas: number): AppPlan {
  const visit = (node: AppPlan["root"] | ServicePlan): unknown =>
    node.kind === "service" ? (node.id === id ? { ...node, replicas } : node) : { ...node, children: node.children.map((c) => visit(c as never)) };
  return { ...plan, root: visit(plan.root) as AppPlan["root"] };
}

test("three instances start after their needs and stop in parallel; dependents get an array of their handles", async () => {
  const plan = withReplicas(buildApp([service("db"), service("worker", { needs: ["db"], stopTimeoutMs: 1000 }), service("api", { needs: ["worker"] })]), "worker", 3);
  const seen: { id: string; name: string; replica: number }[] = [];
  let workers: unknown;
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      worker: (scope) => {
        seen.push({ id: scope.id, name: scope.name, replica: scope.replica });
        scope.go("loop", (signal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve())));
        return { n: scope.replica };
      },
      api: (scope) => {
        workers = scope.deps["worker"];
        return {};
      },
    }),
    { actions: [signalAt(100)] },
  );
  assert.is(run.result.exitCode, 0);
  assert.equal(seen, [0, 1, 2].map((r) => ({ id: `worker#${r}`, name: "worker", replica: r })));
  assert.equal(workers, [{ n: 0 }, { n: 1 }, { n: 2 }]);
  assert.ok(Object.isFrozen(workers));
  for (const r of [0, 1, 2]) {
    assert.ok(run.at("starting", `worker#${r}`)! >= run.at("started", "db")!, "after db");
    assert.ok(run.order("stopping").indexOf(`worker#${r}`) > run.order("stopping").indexOf("api"), "after api");
  }
  // In parallel: every replica is asked to stop before any has stopped.
  const stoppingAt = [0, 1, 2].map((r) => run.at("stopping", `worker#${r}`)!);
  const firstStopped = Math.min(...[0, 1, 2].map((r) => run.at("stopped", `worker#${r}`)!));
  assert.ok(stoppingAt.every((t) => t <= firstStopped));
  assert.equal(run.result.report.stopped, ["db", "worker#0", "worker#1", "worker#2", "api"]);
});

test("under one_for_one, a crashing replica restarts alone (and what needs the service)", async () => {
  const plan = withReplicas(buildApp([service("worker"), service("api", { needs: ["worker"] })], { intensity: 5 }), "worker", 3);
  const run = await simulate(plan, { doubles: { "worker#1": { crashAfterMs: 10 } }, signal: "SIGTERM", signalAtMs: 15 });
  assert.equal(run.order("restarting"), ["worker#1", "api"]);
  assert.is(run.exitCode, 0);
  assert.equal(run.report.nodes.filter((n) => n.restarts > 0).map((n) => n.id), ["worker#1", "api"]);
});

test("under one_for_all, every replica restarts; needing the supervisor gives the array under the service's name", async () => {
  const plan = withReplicas(
    buildApp([supervisor("pool", { strategy: "one_for_all", intensity: 5 }, [service("worker")]), service("api", { needs: ["pool"] })]),
    "pool.worker",
    2,
  );
  let pool: unknown;
  const run = await runVirtual(
    plan,
    bindAll(plan, { "pool.worker": (scope) => ({ r: scope.replica }), api: (scope) => ((pool = scope.deps["pool"]), {}) }),
    { actions: [signalAt(10)] },
  );
  assert.is(run.result.exitCode, 0);
  assert.equal(pool, { worker: [{ r: 0 }, { r: 1 }] });
  const sim = await simulate(plan, { doubles: { "pool.worker#0": { crashAfterMs: 10 } }, signal: "SIGTERM", signalAtMs: 15 });
  assert.equal(sim.order("restarting").filter((id) => id.startsWith("pool.worker")), ["pool.worker#0", "pool.worker#1"]);
});

test("a replica count that is not a whole number from 1 to 1000 is refused", async () => {
  for (const bad of [0, 1.5, 1001]) {
    const plan = withReplicas(buildApp([service("w")]), "w", bad);
    await runVirtual(plan, bindAll(plan)).then(
      () => assert.unreachable(`replicas ${bad} must be refused`),
      (error: unknown) => assert.match(String(error), /replicas must be a whole number/),
    );
  }
});

test.run();

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { indexPlan, type Bindings } from "../../runtime/engine/plan-index.ts";
import type { AppPlan, NodePlan } from "../../runtime/api/plan.ts";
import { runApp } from "../../runtime/main/run-app.ts";
import { createTestHost } from "../../runtime/testing/index.ts";
import { bindAll } from "./harness.ts";
import { buildApp, buildShop, service, supervisor } from "./plans.ts";

const test = suite("runtime/plan-index");

function problemsOf(plan: AppPlan, bindings: Bindings = bindAll(plan)): string {
  try {
    indexPlan(plan, bindings);
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

/** The plan with one node's fields replaced (plans are readonly data, so rebuild the path). */
function patch(plan: AppPlan, id: string, fields: Record<string, unknown>): AppPlan {
  const visit = (node: NodePlan): NodePlan => {
    if (node.id === id) return { ...node, ...fields } as NodePlan;
    return node.kind === "supervisor" ? { ...node, children: node.children.map(visit) } : node;
  };
  return { ...plan, root: visit(plan.root) as AppPlan["root"] };
}

test("a compiled plan (the shop) indexes: declaration order, services, reverse edges", () => {
  const index = indexPlan(buildShop(), bindAll(buildShop()));
  assert.equal(
    index.nodes.map((n) => n.id),
    ["", "db", "cache", "workers", "workers.mailer", "workers.indexer", "api"],
  );
  assert.equal(
    index.services.map((n) => n.id),
    ["db", "cache", "workers.mailer", "workers.indexer", "api"],
  );
  const db = index.byId.get("db")!;
  assert.equal(
    db.neededBy.map((n) => n.id),
    ["workers", "api"],
  );
  assert.equal(
    db.stopPreds.map((n) => n.id).sort(),
    ["api", "workers"],
    "needs and stopAfter give the same edge once",
  );
});

test("equal edge lists are shared, lists that differ are not", () => {
  const index = indexPlan(buildShop(), bindAll(buildShop()));
  const api = index.byId.get("api")!;
  assert.ok(api.startPreds === api.needTargets, "a compiled plan starts a service after exactly what it needs");
  assert.ok(api.stopDependents === api.needTargets);
  const db = index.byId.get("db")!;
  assert.ok(db.startDependents === db.neededBy);
  // One more startAfter than needs: the start list is its own, and still has both.
  const plan = buildApp([service("db"), service("cache"), service("api", { needs: ["db"], startAfter: ["cache"] })]);
  const extra = indexPlan(plan, bindAll(plan)).byId.get("api")!;
  assert.ok(extra.startPreds !== extra.needTargets);
  assert.equal(
    extra.startPreds.map((n) => n.id),
    ["db", "cache"],
  );
  assert.equal(
    extra.needTargets.map((n) => n.id),
    ["db"],
  );
});

test("unknown ids, self references and duplicate keys are all reported at once", () => {
  let plan = buildApp([service("db"), service("api", { needs: ["db", { key: "db", target: "db" }], startAfter: ["nope"] })]);
  plan = patch(plan, "db", { stopAfter: ["db"] });
  const message = problemsOf(plan);
  assert.match(message, /^invalid plan for app "app":/);
  assert.match(message, /"api": two needs use the key "db"/);
  assert.match(message, /"api": startAfter names unknown id "nope"/);
  assert.match(message, /"db": stopAfter names the node itself/);
});

test("ids must follow the tree, and be unique", () => {
  const plan = patch(buildApp([service("db"), supervisor("s", {}, [service("a")])]), "s.a", { id: "a" });
  assert.match(problemsOf(plan), /"a": id should be "s.a"/);
  const twice = buildApp([service("db"), service("db")]);
  assert.match(problemsOf(twice), /two nodes have the id "db"/);
});

test("bindings must match the services exactly", () => {
  const plan = buildApp([service("db"), service("api")]);
  const message = problemsOf(plan, { db: () => ({}), typo: () => ({}) });
  assert.match(message, /service "api" has no start function/);
  assert.match(message, /start function for "typo", which is not a service/);
});

test("signals must be catchable signals this platform knows", () => {
  const message = problemsOf({ ...buildApp([service("a")]), signals: ["SIGTERM", "SIGNOPE", "SIGKILL"] });
  assert.match(message, /unknown signal "SIGNOPE"/);
  assert.match(message, /SIGKILL cannot be caught/);
  assert.not.match(message, /SIGTERM/);
});

test("a generation, when present, is a string", () => {
  const message = problemsOf({ ...buildApp([service("a")]), generation: 7 as unknown as string });
  assert.match(message, /generation must be a string when present \(got 7\)/);
  assert.is(problemsOf({ ...buildApp([service("a")]), generation: "0123456789abcdef" }), "");
});

test("durations, intensity and enums are checked", () => {
  let plan = patch(buildApp([supervisor("s", {}, [service("a")])]), "s", { intensity: -1, periodMs: 0, strategy: "one_for_some" });
  plan = patch(plan, "s.a", { stopTimeoutMs: -5, startTimeoutMs: Number.NaN, restart: "sometimes" });
  const message = problemsOf({ ...plan, graceMs: -1 });
  for (const expected of [
    /graceMs must be a duration/,
    /"s": intensity must be an integer >= 0/,
    /"s": periodMs must be a positive duration/,
    /"s": unknown strategy "one_for_some"/,
    /"s.a": stopTimeoutMs must be a duration/,
    /"s.a": startTimeoutMs must be a duration/,
    /"s.a": unknown restart "sometimes"/,
  ]) {
    assert.match(message, expected);
  }
});

test("a start cycle is named along its path", () => {
  const plan = buildApp([service("a", { needs: ["c"] }), service("b", { needs: ["a"] }), service("c", { startAfter: ["b"] })]);
  assert.match(problemsOf(plan), /the start order has a cycle \(each waits for the next\): (a -> c -> b -> a|b -> a -> c -> b|c -> b -> a -> c)/);
});

test("stopAfter that contradicts needs is a stop cycle (a dependency would stop under its dependent)", () => {
  const plan = buildApp([service("db"), service("api", { needs: ["db"], stopAfter: ["db"] })]);
  assert.match(problemsOf(plan), /the stop order has a cycle \(each waits for the next\): db -> api -> db/);
});

test("needing one's own supervisor is a cycle", () => {
  const plan = buildApp([supervisor("s", {}, [service("a", { needs: ["s"] })])]);
  assert.match(problemsOf(plan), /the start order has a cycle \(each waits for the next\): s -> s\.a -> s/);
});

test("runApp rejects a malformed plan before anything starts", async () => {
  const host = createTestHost();
  const plan = buildApp([service("a", { needs: ["ghost"] })]);
  const events: unknown[] = [];
  const error = await runApp(plan, bindAll(plan), { host, onEvent: (e) => events.push(e) }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  assert.match(String(error), /needs names unknown id "ghost"/);
  assert.equal(events, []);
  assert.is(host.handlerCount, 0);
});

test.run();

// The end of the report: services abandoned with the tasks they still ran (and where each was
// started), the budget each overran, resources left open, and the table of every service.
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { VirtualClock } from "../../runtime/host/clock.ts";
import { runApp } from "../../runtime/main/run-app.ts";
import { formatSummaryTable } from "../../runtime/logs/report-text.ts";
import { createTestHost } from "../../runtime/testing/index.ts";
import { simulate } from "../../runtime/testing/index.ts";
import { bindAll, runVirtual, signalAt } from "./harness.ts";
import { buildApp, service, supervisor } from "./plans.ts";

const test = suite("runtime/leaks");

const hang = (): Promise<never> => new Promise(() => {});

test("an abandoned service is named with its path, the budget it overran, and each pending task with its stack", async () => {
  const plan = buildApp([supervisor("web", {}, [service("api", { stopTimeoutMs: 100 })])], { name: "shop" });
  const run = await runVirtual(
    plan,
    bindAll(plan, {
      "web.api": function startApi(scope) {
        scope.defer(() => {});
        scope.go("accept", hang);
        scope.child("request").go("handler", hang);
        return {};
      },
    }),
    { actions: [signalAt(10)] },
  );
  const api = run.result.report.nodes.find((n) => n.id === "web.api")!;
  assert.equal(api.budget, { kind: "stop-timeout" });
  assert.equal(api.pendingTasks.map((t) => [t.name, t.scope]), [["accept", "web.api"], ["handler", "web.api/request"]]);
  for (const task of api.pendingTasks) assert.match(task.stack[0] ?? "", /^startApi \(.*leaks\.test\.ts:\d+:\d+\)$/);
  const from = run.host.logs.indexOf("[shop] leak report: 1 service did not stop in time");
  assert.ok(from > 0, run.host.logs.join("\n"));
  const report = run.host.logs.slice(from, -1);
  assert.is(report[1], "[shop]   web.api (shop/web/api): its 100ms stop timeout ran out; 1 finalizer(s) not run");
  assert.is(report[2], "[shop]     task accept, started at:");
  assert.match(report[3]!, /^\[shop\]       startApi \(.*leaks\.test\.ts:\d+:\d+\)$/);
  assert.ok(report.includes("[shop]     task handler in web.api/request, started at:"));
  const runtimeDir = fileURLToPath(new URL("../../runtime/", import.meta.url));
  assert.ok(report.every((line) => !line.includes(runtimeDir) && !line.includes("node:")), `no frame of the runtime's own or Node's:\n${report.join("\n")}`);
});

test("each kind of budget is named: the service's, a supervisor's, the grace period", async () => {
  const plan = buildApp(
    [
      service("own", { stopTimeoutMs: 50 }),
      supervisor("s", { stopTimeoutMs: 80 }, [service("inner", { stopTimeoutMs: 10_000 })]),
      service("late", { stopTimeoutMs: 10_000, stopAfter: ["own"] }),
    ],
    { graceMs: 200 },
  );
  const run = await simulate(plan, { signal: "SIGTERM", doubles: { own: { hangStop: true }, "s.inner": { hangStop: true }, late: { hangStop: true } } });
  const budgets = Object.fromEntries(run.report.nodes.map((n) => [n.id, n.budget]));
  assert.equal(budgets, {
    "": undefined,
    own: { kind: "stop-timeout" },
    s: { kind: "supervisor-stop-timeout", supervisor: "s" },
    "s.inner": { kind: "supervisor-stop-timeout", supervisor: "s" },
    late: { kind: "grace" },
  });
  assert.ok(run.logs.includes("[app]   own (app/own): its 50ms stop timeout ran out"));
  assert.ok(run.logs.includes("[app]   s.inner (app/s/inner): supervisor s's 80ms stop timeout ran out"));
  assert.ok(run.logs.includes("[app]   late (app/late): the 200ms grace period ran out"));
});

test("resources open after the stop and not before are a warning; requests in flight are not", async () => {
  const clock = new VirtualClock();
  let resources = ["TTYWrap", "Timeout"];
  const host = { ...createTestHost(clock), activeResources: () => resources };
  const plan = buildApp([service("a")]);
  const result = runApp(plan, bindAll(plan, { a: () => void (resources = [...resources, "Timeout", "TCPServerWrap", "WriteWrap", "FSReqCallback"]) }), { host });
  await clock.advance(5);
  host.sendSignal("SIGTERM");
  await clock.runAll();
  const { report, exitCode } = await result;
  assert.is(exitCode, 0);
  assert.equal(report.leftOpen, { TCPServerWrap: 1, Timeout: 1 });
  assert.is(host.logs.at(-2), "[app] warning: left open after the services stopped (not open before they started): 1 TCPServerWrap, 1 Timeout");
});

test("without a way to list resources, the report says nothing about them (undefined, not empty)", async () => {
  const run = await simulate(buildApp([service("a")]), { signal: "SIGTERM" });
  assert.is(run.report.leftOpen, undefined);
  assert.ok(!run.logs.some((l) => l.includes("left open")));
});

test("the summary table: a row per service; a large app lists only the services worth a look", async () => {
  const small = await simulate(buildApp([service("db"), service("api", { needs: ["db"] })]), { doubles: { db: { failStart: true } } });
  assert.equal(formatSummaryTable(small.report), [
    "service  state          start ms  stop ms  restarts",
    "db       failed                -        0         0",
    "api      never-started         -        -         0",
  ]);
  const many = Array.from({ length: 60 }, (_, i) => service(`s${i}`));
  const large = await simulate(buildApp(many, { intensity: 10 }), { signalAtMs: 150, signal: "SIGTERM", doubles: { s7: { crashAfterMs: 100 } } });
  assert.equal(formatSummaryTable(large.report), [
    "service  state    start ms  stop ms  restarts",
    "s7       stopped         0        0         1",
    "(59 more services not shown: stopped cleanly, never restarted, or past 50 rows)",
  ]);
});

test.run();

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { VirtualClock } from "../../runtime/host/clock.ts";
import { readLogFormat } from "../../runtime/main/main-options.ts";
import { runApp, runMain, type MainOptions } from "../../runtime/main/run-app.ts";
import { createDoubles, createTestHost, type DoubleBehaviour } from "../../runtime/testing/index.ts";
import { bindAll } from "./harness.ts";
import { buildApp, service, supervisor } from "./plans.ts";
import type { AppPlan } from "../../runtime/api/plan.ts";

const test = suite("runtime/log-json");

const plan = buildApp([service("db"), supervisor("web", {}, [service("api", { needs: ["db"] })])], { name: "shop" });

/** Runs `plan` with JSON logs until a SIGTERM at 100ms; returns the parsed lines. */
async function runJson(behaviours: Record<string, DoubleBehaviour> = {}, app: AppPlan = plan): Promise<Record<string, unknown>[]> {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  const result = runApp(app, createDoubles(app, behaviours, clock), { host, log: "json" });
  clock.setTimeout(() => host.sendSignal("SIGTERM"), 100);
  await clock.runAll();
  await result;
  return host.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
}

test("one JSON object per line: time, level, app, event, service and path on each, then what the event carries", async () => {
  const lines = await runJson({ "web.api": { crashAfterMs: 60 } });
  for (const line of lines) {
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.is(line.app, "shop");
    assert.ok(["info", "warn", "error"].includes(String(line.level)), JSON.stringify(line));
  }
  const seen = lines.map((l) => `${l.event} ${l.service ?? "-"}`);
  assert.equal(seen, [
    "starting -",
    "starting db",
    "starting web",
    "started db",
    "starting web.api",
    "started web.api",
    "started web",
    "started -",
    "crashed web.api",
    "restarting web.api",
    "stopping web.api",
    "stopped web.api",
    "starting web.api",
    "started web.api",
    "signal -",
    "stopping -",
    "stopping web",
    "stopping web.api",
    "stopped web.api",
    "stopping db",
    "stopped db",
    "stopped web",
    "stopped -",
    "exit -",
    "summary -",
  ]);
  const crashed = lines.find((l) => l.event === "crashed")!;
  assert.is(crashed.path, "shop/web/api");
  assert.is(crashed.level, "error");
  assert.is(crashed.error, "Error: web.api: crashed (test double)");
  assert.match(String(crashed.stack), /^Error: web\.api: crashed \(test double\)\n\s+at /);
  assert.equal(lines.find((l) => l.event === "stopping" && l.service === "web.api")!.reason, {
    kind: "sibling-failed",
    service: "web.api",
    error: "Error: web.api: crashed (test double)",
  });
  assert.equal(lines.find((l) => l.event === "stopping" && l.service === undefined)!.reason, { kind: "signal", signal: "SIGTERM" });
  assert.is(lines.find((l) => l.event === "started" && l.service === "db")!.durationMs, 0);
  assert.equal(lines.at(-2), { time: lines.at(-2)!.time, level: "info", app: "shop", event: "exit", path: "shop", code: 0, reason: { kind: "signal", signal: "SIGTERM" } });
  const summary = lines.at(-1)!;
  assert.equal([summary.exitCode, summary.stopped, summary.abandoned, summary.restarts], [0, 2, [], { "web.api": 1 }]);
});

test("a service named __proto__ is a key like any other in the summary's restarts", async () => {
  const special = buildApp([service("__proto__"), service("db")], { name: "shop" });
  const lines = await runJson({ ["__proto__"]: { crashAfterMs: 60 }, db: { crashAfterMs: 70 } }, special);
  const restarts = lines.at(-1)!.restarts as Record<string, number>;
  assert.equal(Object.entries(restarts), [["__proto__", 1], ["db", 1]]);
});

test("an abandoned service gets a leak line: its budget and each pending task with its stack", async () => {
  const lines = await runJson({ db: { hangStop: true } });
  const leak = lines.find((l) => l.event === "leak")!;
  assert.equal([leak.service, leak.path, leak.budget, leak.budgetMs, leak.pendingFinalizers], ["db", "shop/db", { kind: "stop-timeout" }, 5000, 0]);
  assert.equal((leak.pendingTasks as { name: string }[]).map((t) => t.name), ["loop"]);
  assert.is(lines.at(-1)!.exitCode, 1);
});

test("the format comes from --log-format (either spelling, the last wins), else SUPERVISE_LOG_FORMAT, else text", () => {
  const cases: [string[], Record<string, string>, unknown][] = [
    [[], {}, { format: "text" }],
    [["--log-format", "json"], {}, { format: "json" }],
    [["--port", "80", "--log-format=json"], {}, { format: "json" }],
    [["--log-format", "json", "--log-format", "text"], {}, { format: "text" }],
    [[], { SUPERVISE_LOG_FORMAT: "json" }, { format: "json" }],
    [["--log-format", "text"], { SUPERVISE_LOG_FORMAT: "json" }, { format: "text" }],
    [["--", "--log-format", "json"], {}, { format: "text" }],
    [["--log-format", "xml"], {}, { problem: 'invalid --log-format "xml": expected "text" or "json"' }],
    [["--log-format"], {}, { problem: '--log-format needs a value: "text" or "json"' }],
    [[], { SUPERVISE_LOG_FORMAT: "JSON" }, { problem: 'invalid SUPERVISE_LOG_FORMAT "JSON": expected "text" or "json"' }],
  ];
  assert.equal(
    cases.map(([argv, env]) => readLogFormat(argv, env)),
    cases.map(([, , expected]) => expected),
  );
});

async function runMainWith(options: MainOptions): Promise<{ exitCodes: number[]; logs: string[] }> {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  const small = buildApp([service("a")], { name: "shop" });
  const main = runMain(small, bindAll(small), { host, ...options });
  clock.setTimeout(() => host.sendSignal("SIGTERM"), 1);
  await clock.runAll();
  await main;
  return { exitCodes: host.exitCodes, logs: host.logs };
}

test("runMain: JSON from the command line or the environment; an invalid format exits 2 before anything starts", async () => {
  const json = await runMainWith({ argv: ["--log-format", "json"], env: {} });
  assert.equal(json.exitCodes, [0]);
  assert.ok(json.logs.every((l) => l.startsWith("{")), json.logs.join("\n"));
  const fromEnv = await runMainWith({ argv: [], env: { SUPERVISE_LOG_FORMAT: "json" } });
  assert.is(JSON.parse(fromEnv.logs.at(-1)!).event, "summary");
  const text = await runMainWith({ argv: [], env: {} });
  assert.is(text.logs.at(-1), "[shop] exit 0: 1 stopped");
  const explicit = await runMainWith({ argv: ["--log-format", "json"], env: {}, log: "text" });
  assert.is(explicit.logs[0], "[shop] starting 1 service", "options.log, set by the embedder, wins");
  const invalid = await runMainWith({ argv: ["--log-format", "yaml"], env: {} });
  assert.equal(invalid, { exitCodes: [2], logs: ['[shop] cannot run: invalid --log-format "yaml": expected "text" or "json"'] });
});

test.run();

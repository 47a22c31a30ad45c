import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { ShutdownReport } from "../../runtime/api/events.ts";
import { createTextLog, describeReason, formatDuration, formatError, summarize } from "../../runtime/logs/log.ts";
import { simulate } from "../../runtime/testing/index.ts";
import { buildShop } from "./plans.ts";

const test = suite("runtime/log");

test("durations read the way people write them", () => {
  const cases: [number, string][] = [
    [0, "0ms"],
    [0.25, "0.3ms"],
    [12, "12ms"],
    [999, "999ms"],
    [1000, "1s"],
    [1500, "1.5s"],
    [30_000, "30s"],
    [60_000, "1m"],
    [90_000, "1m30s"],
    [3_600_000, "1h"],
    [Infinity, "no limit"],
  ];
  assert.equal(
    cases.map(([ms]) => formatDuration(ms)),
    cases.map(([, text]) => text),
  );
});

test("errors become one line", () => {
  class PoolError extends Error {
    override name = "PoolError";
  }
  assert.is(formatError(new PoolError("no\nconnections")), "PoolError: no connections");
  assert.is(formatError({ code: 7 }), '{"code":7}');
  assert.is(formatError("plain"), "plain");
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.is(formatError(cyclic), "[object Object]");
});

test("every stop reason reads as the end of a sentence", () => {
  const boom = new Error("boom");
  assert.equal(
    [
      describeReason({ kind: "signal", signal: "SIGTERM" }),
      describeReason({ kind: "parent", path: "api" }),
      describeReason({ kind: "sibling-failed", service: "db", error: boom }),
      describeReason({ kind: "sibling-failed", service: "db", error: undefined }),
      describeReason({ kind: "sibling-failed", service: "", error: boom }),
      describeReason({ kind: "timeout", service: "db", budgetMs: 5000 }),
      describeReason({ kind: "timeout", service: "", budgetMs: 30_000 }),
      describeReason({ kind: "restart-limit", supervisor: "workers" }),
      describeReason({ kind: "restart-limit", supervisor: "" }),
      describeReason({ kind: "start-failed", service: "db", error: boom }),
    ],
    [
      "received SIGTERM",
      "its owner api closed",
      "db failed: Error: boom",
      "db ended",
      "fatal error: Error: boom",
      "db ran out of its 5s budget",
      "grace period of 30s expired",
      "supervisor workers reached its restart limit",
      "the app reached its restart limit",
      "db failed to start: Error: boom",
    ],
  );
});

// Unknown kinds are a compile error where events and reasons are worded; a value from a newer
// runtime (or plain JavaScript) that gets past the types must still not throw while stopping.
test("a reason or an event of a kind the log does not know never throws", () => {
  assert.is(describeReason({ kind: "from-the-future" } as never), "from-the-future");
  const lines: string[] = [];
  const log = createTextLog(buildShop(), (line) => lines.push(line));
  log.event({ type: "from-the-future", id: "db", at: 0 } as never);
  log.event({ type: "stopping", id: "", at: 0, reason: { kind: "from-the-future" } } as never);
  const budget = { kind: "from-the-future" };
  log.event({ type: "abandoned", id: "db", at: 0, budget, budgetMs: 5000, pendingTasks: ["loop"], pendingFinalizers: 0 } as never);
  assert.equal(lines, ["[shop] from-the-future: stopping (grace 30s)", "[shop] db abandoned (still running: loop)"]);
});

test("the summary counts services by state and names the ones that went wrong", () => {
  const report = {
    exitCode: 1,
    forcedBy: undefined,
    stopped: ["a", "b"],
    abandoned: ["c"],
    failed: ["d"],
    running: [],
    neverStarted: ["e", "f"],
  } as unknown as ShutdownReport;
  assert.is(summarize(report), "exit 1: 2 stopped, 1 abandoned (c), 1 failed (d), 2 never started (e, f)");
  assert.is(
    summarize({ ...report, exitCode: 143, forcedBy: "SIGTERM", stopped: [], abandoned: [], failed: [], neverStarted: [], running: ["x"] }),
    "exit 143: forced by a second SIGTERM; 1 still running (x)",
  );
});

test("a whole run reads as a story: start, signal, ordered stops, an abandoned service, the table, the leak, the summary", async () => {
  const run = await simulate(buildShop(), {
    signal: "SIGTERM",
    doubles: { db: { startMs: 12, stopMs: 40 }, api: { stopMs: 3 }, "workers.mailer": { hangStop: true } },
  });
  assert.is(
    run.logs.join("\n"),
    [
      "[shop] starting 5 services",
      "[shop] cache started in 0ms",
      "[shop] db started in 12ms",
      "[shop] workers.mailer started in 0ms",
      "[shop] workers.indexer started in 0ms",
      "[shop] api started in 0ms",
      "[shop] all 5 services started in 12ms",
      "[shop] received SIGTERM: stopping (grace 30s)",
      "[shop] api stopped in 3ms",
      "[shop] workers.indexer stopped in 0ms",
      "[shop] workers.mailer abandoned after 5s stop timeout (still running: loop)",
      "[shop] cache stopped in 0ms",
      "[shop] db stopped in 40ms",
      "[shop] service          state      start ms  stop ms  restarts",
      "[shop] db               stopped          12       40         0",
      "[shop] cache            stopped           0        0         0",
      "[shop] workers.mailer   abandoned         0     5000         0",
      "[shop] workers.indexer  stopped           0        0         0",
      "[shop] api              stopped           0        3         0",
      "[shop] leak report: 1 service did not stop in time",
      "[shop]   workers.mailer (shop/workers/mailer): its 5s stop timeout ran out",
      "[shop]     task loop",
      "[shop] exit 1: workers.mailer did not stop within its 5s stop timeout; 4 stopped, 1 abandoned (workers.mailer)",
    ].join("\n"),
  );
});

test("restarts and giving up are told too", async () => {
  const run = await simulate(buildShop(), { doubles: { "workers.mailer": { crashAfterMs: 100 } } });
  const lines = run.logs.slice(7, 10);
  assert.equal(lines, [
    "[shop] workers.mailer crashed: Error: workers.mailer: crashed (test double) (task loop)",
    "[shop] restarting workers.mailer (workers.mailer ended; one_for_all in supervisor workers)",
    "[shop] restarting workers.indexer (workers.mailer ended; one_for_all in supervisor workers)",
  ]);
  assert.ok(run.logs.includes("[shop] supervisor workers gave up: more than 3 restart(s) in 10s"));
  assert.ok(run.logs.includes("[shop] the app reached its restart limit: stopping (grace 30s)"));
});

test.run();

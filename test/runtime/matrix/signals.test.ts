// Fault-injection matrix, part 3: signals at awkward moments: during the initial start, during
// each phase of a restart, during a backoff wait, and twice. Every row states the whole story;
// every row also checks that no finalizer ran twice.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { NodeState } from "../../../runtime/api/events.ts";
import type { AppPlan } from "../../../runtime/api/plan.ts";
import { runMatrix, type MatrixOptions } from "./harness.ts";
import { buildApp, service } from "../plans.ts";

const test = suite("runtime/matrix: signals");

interface Row {
  readonly name: string;
  readonly plan: AppPlan;
  readonly options: MatrixOptions;
  readonly trace: readonly string[];
  readonly exitCode: number;
  readonly reasons: Record<string, string[]>;
  readonly finalized: readonly string[];
  readonly states: Record<string, NodeState>;
}

const UP_AB = ["0 starting ", "0 starting a", "0 started a", "0 starting b", "0 started b", "0 started "];

const rows: Row[] = [
  {
    name: "during the initial start: what started stops in reverse, the start in flight is cancelled, nothing more starts",
    plan: buildApp([service("db"), service("cache", { needs: ["db"] }), service("api", { needs: ["cache"] }), service("web", { needs: ["api"] })]),
    options: { faults: { db: ["slow-start"], cache: ["slow-start"], api: ["slow-start"] }, signals: [[120, "SIGTERM"]] },
    trace: [
      ...["0 starting ", "0 starting db", "50 started db", "50 starting cache", "100 started cache", "100 starting api"],
      ...["120 signal ", "120 stopping ", "120 stopping api", "120 stopped api", "120 stopping cache", "120 stopped cache", "120 stopping db", "120 stopped db"],
      ...["120 stopped ", "120 exit "],
    ],
    exitCode: 0,
    reasons: { api: ["signal"], cache: ["signal"], db: ["signal"] },
    finalized: ["api#1", "cache#1", "db#1"],
    states: { db: "stopped", cache: "stopped", api: "stopped", web: "never-started" },
  },
  {
    name: "during a restart's stop: the set keeps stopping within its budgets, nothing starts again",
    plan: buildApp([service("a"), service("b", { needs: ["a"] })]),
    options: { faults: { a: ["crash-loop"], b: ["slow-stop"] }, signals: [[120, "SIGTERM"]] },
    // b drains until 150 whatever happens; a, which b needs, stops after it.
    trace: [...UP_AB, "100 crashed a", "100 restarting a", "100 restarting b", "100 stopping b", "120 signal ", "120 stopping ", "150 stopped b", "150 stopping a", "150 stopped a", "150 stopped ", "150 exit "],
    exitCode: 0,
    reasons: { b: ["sibling-failed"], a: ["sibling-failed"] },
    finalized: ["b#1", "a#1"],
    states: { a: "failed", b: "stopped" },
  },
  {
    name: "during a restart's start: the start in flight is cancelled and, honouring that, stops",
    plan: buildApp([service("a"), service("b")]),
    options: { faults: { a: ["slow-start", "crash-loop"] }, signals: [[120, "SIGTERM"]] },
    trace: [
      ...["0 starting ", "0 starting a", "0 starting b", "0 started b", "50 started a", "50 started "],
      ...["100 crashed a", "100 restarting a", "100 stopping a", "100 stopped a", "100 starting a"],
      ...["120 signal ", "120 stopping ", "120 stopping a", "120 stopping b", "120 stopped b", "120 stopped a", "120 stopped ", "120 exit "],
    ],
    exitCode: 0,
    reasons: { a: ["sibling-failed", "signal"], b: ["signal"] },
    finalized: ["a#1", "b#1", "a#2"],
    states: { a: "stopped", b: "stopped" },
  },
  {
    name: "during a restart's start that ignores it: abandoned at its stop timeout, before its start timeout",
    plan: buildApp([service("a", { startTimeoutMs: 1000, stopTimeoutMs: 100 }), service("b")]),
    options: { faults: { a: ["crash-loop", "restart-hangs"] }, signals: [[150, "SIGTERM"]] },
    trace: [
      ...UP_AB,
      ...["100 crashed a", "100 restarting a", "100 stopping a", "100 stopped a", "100 starting a"],
      ...["150 signal ", "150 stopping ", "150 stopping a", "150 stopping b", "150 stopped b", "250 abandoned a", "250 stopped ", "250 exit "],
    ],
    exitCode: 1,
    reasons: { a: ["sibling-failed"], b: ["signal"] },
    finalized: ["a#1", "b#1"],
    states: { a: "abandoned", b: "stopped" },
  },
  {
    name: "during a backoff wait: the pending restart is dropped at once, there is nothing left to stop",
    plan: buildApp([service("a", { backoff: { minMs: 500, maxMs: 500 } }), service("b", { needs: ["a"] })]),
    options: { faults: { a: ["crash-loop"] }, signals: [[300, "SIGTERM"]] },
    trace: [
      ...UP_AB,
      ...["100 crashed a", "100 restarting a", "100 restarting b", "100 stopping b", "100 stopped b", "100 stopping a", "100 stopped a"],
      ...["300 signal ", "300 stopping ", "300 stopped ", "300 exit "],
    ],
    exitCode: 0,
    reasons: { b: ["sibling-failed"], a: ["sibling-failed"] },
    finalized: ["b#1", "a#1"],
    states: { a: "failed", b: "stopped" },
  },
  {
    name: "twice: the second signal ends the run at once with 128 + its number, naming what still runs",
    plan: buildApp([service("a"), service("b", { needs: ["a"] })]),
    options: { faults: { b: ["slow-stop"] }, signals: [[10, "SIGTERM"], [30, "SIGINT"]] },
    trace: [...UP_AB, "10 signal ", "10 stopping ", "10 stopping b", "30 signal ", "30 exit "],
    exitCode: 130,
    reasons: {},
    finalized: [],
    states: { a: "running", b: "running" },
  },
  {
    name: "twice during the initial start: a start deaf to the first is cut short by the second",
    plan: buildApp([service("a"), service("b", { needs: ["a"] })]),
    options: { faults: { a: ["start-hangs"] }, signals: [[20, "SIGTERM"], [40, "SIGTERM"]] },
    trace: ["0 starting ", "0 starting a", "20 signal ", "20 stopping ", "20 stopping a", "40 signal ", "40 exit "],
    exitCode: 143,
    reasons: {},
    finalized: [],
    states: { a: "running", b: "never-started" },
  },
];

for (const row of rows) {
  test(`a signal ${row.name}`, async () => {
    const m = await runMatrix(row.plan, row.options);
    assert.equal(m.trace, row.trace);
    assert.is(m.exitCode, row.exitCode);
    assert.equal(m.reasons, row.reasons);
    assert.equal(m.finalized, row.finalized);
    assert.equal(new Set(m.finalized).size, m.finalized.length, "a finalizer ran twice");
    assert.equal(m.states, row.states);
    const [first, second] = row.options.signals!;
    assert.equal(m.run.result.report.cause, { kind: "signal", signal: first![1] });
    assert.is(m.run.result.report.forcedBy, second?.[1]);
  });
}

test.run();

// Fault-injection matrix, part 1: one fault at a time in the middle service of db <- api <- web
// (api needs db, web needs api), with a SIGTERM at 20ms. Each row states the whole story: every
// event in order, the stop reason each service saw, which finalizers ran, the exit code and the
// report. api: start timeout 50ms, stop timeout 100ms; grace 1s.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { NodeState } from "../../../runtime/api/events.ts";
import { runMatrix, type Fault } from "./harness.ts";
import { buildApp, service } from "../plans.ts";

const test = suite("runtime/matrix: start and stop faults");

const plan = buildApp(
  [service("db"), service("api", { needs: ["db"], startTimeoutMs: 50, stopTimeoutMs: 100 }), service("web", { needs: ["api"] })],
  { graceMs: 1000 },
);

/** The start of every run in which api starts: everything up, then the signal at 20. */
const UP = ["0 starting ", "0 starting db", "0 started db", "0 starting api", "0 started api", "0 starting web", "0 started web", "0 started "];
const UNTIL_API = ["0 starting ", "0 starting db", "0 started db", "0 starting api"];
const SIGNAL = ["20 signal ", "20 stopping ", "20 stopping web", "20 stopped web", "20 stopping api"];

interface Row {
  readonly fault: Fault;
  readonly trace: readonly string[];
  readonly exitCode: number;
  readonly reasons: Record<string, string[]>;
  readonly finalized: readonly string[];
  readonly states: Record<string, NodeState>;
  /** api in the report: [budgetMs, pending tasks, pending finalizers, errors]. */
  readonly api: readonly [number | undefined, string[], number, string[]];
  /** Why the exit code is not 0, as the summary line says it. */
  readonly why?: string;
}

const rows: readonly Row[] = [
  {
    fault: "start-throws",
    why: "api failed to start: Error: api: start failed",
    // The failure stops what started, in stop order; web, which needs api, never starts.
    trace: [...UNTIL_API, "0 start-failed api", "0 stopping ", "0 stopping api", "0 stopped api", "0 stopping db", "0 stopped db", "0 stopped ", "0 exit "],
    exitCode: 1,
    reasons: { api: ["start-failed"], db: ["start-failed"] },
    finalized: ["api#1", "db#1"],
    states: { db: "stopped", api: "failed", web: "never-started" },
    api: [undefined, [], 0, ["Error: api: start failed"]],
  },
  {
    fault: "start-rejects",
    why: "api failed to start: Error: api: start rejected",
    trace: [...UNTIL_API, "10 start-failed api", "10 stopping ", "10 stopping api", "10 stopped api", "10 stopping db", "10 stopped db", "10 stopped ", "10 exit "],
    exitCode: 1,
    reasons: { api: ["start-failed"], db: ["start-failed"] },
    finalized: ["api#1", "db#1"],
    states: { db: "stopped", api: "failed", web: "never-started" },
    api: [undefined, [], 0, ["Error: api: start rejected"]],
  },
  {
    fault: "start-hangs",
    why: "api failed",
    // The signal arrives while api starts: its stop waits for the start, which its start timeout
    // ends at 50 (before the 100ms stop timeout would). Ignoring the signal is a failure: exit 1.
    trace: [...UNTIL_API, "20 signal ", "20 stopping ", "20 stopping api", "50 start-failed api", "50 stopped api", "50 stopping db", "50 stopped db", "50 stopped ", "50 exit "],
    exitCode: 1,
    reasons: { api: ["signal"], db: ["signal"] },
    finalized: ["api#1", "db#1"],
    states: { db: "stopped", api: "failed", web: "never-started" },
    api: [undefined, [], 0, ['Error: "api" did not start within 50ms']],
  },
  {
    fault: "stop-hangs",
    why: "api did not stop within its 100ms stop timeout",
    // Abandoned at its stop timeout with its two other finalizers not run; db, which api needs, goes on then.
    trace: [...UP, ...SIGNAL, "120 abandoned api", "120 stopping db", "120 stopped db", "120 stopped ", "120 exit "],
    exitCode: 1,
    reasons: { web: ["signal"], db: ["signal"] },
    finalized: ["web#1", "db#1"],
    states: { db: "stopped", api: "abandoned", web: "stopped" },
    api: [100, [], 2, []],
  },
  {
    fault: "finalizer-throws",
    why: "errors while stopping (api)",
    // The other finalizers still run; the error is reported and fails the shutdown.
    trace: [...UP, ...SIGNAL, "20 stopped api", "20 stopping db", "20 stopped db", "20 stopped ", "20 exit "],
    exitCode: 1,
    reasons: { web: ["signal"], api: ["signal"], db: ["signal"] },
    finalized: ["web#1", "api#1", "db#1"],
    states: { db: "stopped", api: "stopped", web: "stopped" },
    api: [undefined, [], 0, ["Error: api: finalizer failed"]],
  },
  {
    fault: "task-ignores-signal",
    why: "api did not stop within its 100ms stop timeout",
    // Finalizers wait for tasks, so none of api's ran; the report names the task.
    trace: [...UP, ...SIGNAL, "120 abandoned api", "120 stopping db", "120 stopped db", "120 stopped ", "120 exit "],
    exitCode: 1,
    reasons: { web: ["signal"], db: ["signal"] },
    finalized: ["web#1", "db#1"],
    states: { db: "stopped", api: "abandoned", web: "stopped" },
    api: [100, ["deaf"], 2, []],
  },
];

for (const row of rows) {
  test(`api: ${row.fault}`, async () => {
    const m = await runMatrix(plan, { faults: { api: [row.fault] }, signals: [[20, "SIGTERM"]] });
    assert.equal(m.trace, row.trace);
    assert.is(m.exitCode, row.exitCode);
    assert.equal(m.reasons, row.reasons);
    assert.equal(m.finalized, row.finalized);
    assert.equal(m.states, row.states);
    const api = m.run.result.report.nodes.find((n) => n.id === "api")!;
    assert.equal([api.budgetMs, api.pendingTasks.map((t) => t.name), api.pendingFinalizers, api.errors.map(String)], row.api);
    assert.is(m.run.host.logs.at(-1), `[app] exit ${row.exitCode}: ${row.why === undefined ? "" : `${row.why}; `}${describeStates(row.states)}`);
  });
}

/** The summary line the report must end with, from the expected states. */
function describeStates(states: Record<string, NodeState>): string {
  const ids = (state: NodeState): string[] => ["db", "api", "web"].filter((id) => states[id] === state);
  const parts: string[] = [];
  if (ids("stopped").length > 0) parts.push(`${ids("stopped").length} stopped`);
  for (const [state, word] of [["abandoned", "abandoned"], ["failed", "failed"], ["never-started", "never started"]] as const) {
    if (ids(state).length > 0) parts.push(`${ids(state).length} ${word} (${ids(state).join(", ")})`);
  }
  return parts.join(", ");
}

test.run();

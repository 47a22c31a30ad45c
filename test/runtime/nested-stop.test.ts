// A supervisor's stop timeout bounds its whole subtree, at every level: the app's own supervisor,
// a nested one, and a supervisor nested in another (whose budget may be the outer's or its own).
// In each row "hung" has a task deaf to its signal (and a 5s stop timeout of its own), "late"
// must wait for it, and a node outside the bounded subtree waits for all of it. SIGTERM at 10.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { AppPlan } from "../../runtime/api/plan.ts";
import { runMatrix } from "./matrix/harness.ts";
import { buildApp, service, supervisor } from "./plans.ts";

const test = suite("runtime/nested stop timeouts");

const leaves = (prefix: string) => [service("hung", { stopTimeoutMs: 5000 }), service("late", { stopAfter: [`${prefix}hung`] })];

interface Row {
  readonly level: string;
  readonly plan: AppPlan;
  readonly hung: string;
  /** Events after the start (all at 0), in order. */
  readonly trace: readonly string[];
  /** Node -> [state, id of the supervisor whose budget it overran, or null]. */
  readonly nodes: Record<string, readonly [string, string | null]>;
  /** The stop reason "late" saw. */
  readonly lateReason: { kind: "timeout"; service: string; budgetMs: number };
}

const rows: Row[] = [
  {
    level: "the app's own supervisor",
    plan: buildApp([...leaves(""), service("x", { stopAfter: ["late"] })], { stopTimeoutMs: 300, graceMs: 10_000 }),
    hung: "hung",
    // Everything is under the app: late and x are told to stop only when its 300ms run out.
    trace: ["10 signal ", "10 stopping ", "10 stopping hung", "310 abandoned hung", "310 stopping late", "310 abandoned late", "310 stopping x", "310 abandoned x", "310 abandoned ", "310 exit "],
    nodes: { "": ["abandoned", ""], hung: ["abandoned", ""], late: ["abandoned", ""], x: ["abandoned", ""] },
    lateReason: { kind: "timeout", service: "", budgetMs: 300 },
  },
  {
    level: "a nested supervisor",
    plan: buildApp([supervisor("s", { stopTimeoutMs: 300 }, leaves("s.")), service("x", { stopAfter: ["s"] })], { graceMs: 10_000 }),
    hung: "s.hung",
    trace: [
      ...["10 signal ", "10 stopping ", "10 stopping s", "10 stopping s.hung", "310 abandoned s.hung", "310 stopping s.late", "310 abandoned s.late", "310 abandoned s"],
      ...["310 stopping x", "310 stopped x", "310 stopped ", "310 exit "],
    ],
    nodes: { "": ["abandoned", null], s: ["abandoned", "s"], "s.hung": ["abandoned", "s"], "s.late": ["abandoned", "s"], x: ["stopped", null] },
    lateReason: { kind: "timeout", service: "s", budgetMs: 300 },
  },
  {
    level: "a supervisor nested in another, bounded by the outer one",
    plan: buildApp([supervisor("o", { stopTimeoutMs: 300 }, [supervisor("i", { stopTimeoutMs: Infinity }, leaves("o.i."))]), service("x", { stopAfter: ["o"] })], {
      graceMs: 10_000,
    }),
    hung: "o.i.hung",
    // i has no budget of its own and reports stopped once its children are done; o overran its.
    trace: [
      ...["10 signal ", "10 stopping ", "10 stopping o", "10 stopping o.i", "10 stopping o.i.hung", "310 abandoned o.i.hung", "310 stopping o.i.late", "310 abandoned o.i.late"],
      ...["310 stopped o.i", "310 abandoned o", "310 stopping x", "310 stopped x", "310 stopped ", "310 exit "],
    ],
    nodes: {
      "": ["abandoned", null],
      o: ["abandoned", "o"],
      "o.i": ["abandoned", null],
      "o.i.hung": ["abandoned", "o"],
      "o.i.late": ["abandoned", "o"],
      x: ["stopped", null],
    },
    lateReason: { kind: "timeout", service: "o", budgetMs: 300 },
  },
  {
    level: "a supervisor nested in another, bounded by its own",
    plan: buildApp(
      [supervisor("o", { stopTimeoutMs: 1000 }, [supervisor("i", { stopTimeoutMs: 300 }, leaves("o.i.")), service("y", { stopAfter: ["o.i"] })]), service("x", { stopAfter: ["o"] })],
      { graceMs: 10_000 },
    ),
    hung: "o.i.hung",
    // i's 300ms end its subtree; o, well within its 1s, goes on with y and stops normally.
    trace: [
      ...["10 signal ", "10 stopping ", "10 stopping o", "10 stopping o.i", "10 stopping o.i.hung", "310 abandoned o.i.hung", "310 stopping o.i.late", "310 abandoned o.i.late"],
      ...["310 abandoned o.i", "310 stopping o.y", "310 stopped o.y", "310 stopped o", "310 stopping x", "310 stopped x", "310 stopped ", "310 exit "],
    ],
    nodes: {
      "": ["abandoned", null],
      o: ["abandoned", null],
      "o.i": ["abandoned", "o.i"],
      "o.i.hung": ["abandoned", "o.i"],
      "o.i.late": ["abandoned", "o.i"],
      "o.y": ["stopped", null],
      x: ["stopped", null],
    },
    lateReason: { kind: "timeout", service: "o.i", budgetMs: 300 },
  },
];

for (const row of rows) {
  test(`a stop timeout on ${row.level} bounds its whole subtree`, async () => {
    const m = await runMatrix(row.plan, { faults: { [row.hung]: ["task-ignores-signal"] }, signals: [[10, "SIGTERM"]] });
    assert.equal(m.trace.filter((t) => !t.startsWith("0 ")), row.trace);
    assert.is(m.exitCode, 1);
    const nodes = Object.fromEntries(m.run.result.report.nodes.map((n) => [n.id, [n.state, n.budget?.kind === "supervisor-stop-timeout" ? n.budget.supervisor : null]]));
    assert.equal(nodes, row.nodes);
    const late = row.hung.replace(/hung$/, "late");
    assert.equal(m.reasons[late], [row.lateReason.kind]);
    const stopping = m.run.events.find((e) => e.type === "stopping" && e.id === late);
    assert.equal(stopping?.type === "stopping" && stopping.reason, row.lateReason);
    assert.equal(m.run.result.report.nodes.find((n) => n.id === row.hung)!.pendingTasks.map((t) => t.name), ["deaf"]);
  });
}

test.run();

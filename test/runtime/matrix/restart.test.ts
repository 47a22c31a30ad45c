// Fault-injection matrix, part 2: crash loops under each strategy and restart type, and intensity
// exhaustion at each nesting level. s.b's task rejects 100ms after every start. Expected traces
// are assembled from the story each row tells (which set restarts, who gives up, when), so a row
// reads as its expectation and every event is still compared in order.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RestartPolicy, Strategy } from "../../../runtime/api/plan.ts";
import { runMatrix } from "./harness.ts";
import { buildApp, service, supervisor } from "../plans.ts";

const test = suite("runtime/matrix: crash loops and intensity");

const CHILDREN = ["s.a", "s.b", "s.c"];
const START = ["0 starting ", "0 starting s", ...CHILDREN.flatMap((id) => [`0 starting ${id}`, `0 started ${id}`]), "0 started s", "0 started "];

const at = (t: number, ...steps: string[]): string[] => steps.map((step) => `${t} ${step}`);
const each = (ids: readonly string[], ...types: string[]): string[] => types.flatMap((type) => ids.map((id) => `${type} ${id}`));

/** s.b crashes at `t` and its supervisor restarts `set`: all stop (concurrently: no order among them), then all start. */
function restartAt(t: number, set: readonly string[]): string[] {
  return at(t, "crashed s.b", ...each(set, "restarting", "stopping", "stopped"), ...set.flatMap((id) => [`starting ${id}`, `started ${id}`]));
}

/** s.b crashes at `t`, one restart too many: s gives up and stops every child. */
function giveUpAt(t: number): string[] {
  return at(t, "crashed s.b", "gave-up s", "stopping s", ...each(CHILDREN, "stopping", "stopped"), "stopped s");
}

interface Row {
  readonly strategy: Strategy;
  readonly restart: RestartPolicy;
  /** What the strategy restarts when s.b crashes. */
  readonly set: readonly string[];
}

const rows: Row[] = [];
for (const restart of ["permanent", "transient", "temporary"] as const) {
  rows.push({ strategy: "one_for_one", restart, set: ["s.b"] });
  rows.push({ strategy: "one_for_all", restart, set: ["s.a", "s.b", "s.c"] });
  rows.push({ strategy: "rest_for_one", restart, set: ["s.b", "s.c"] });
}

for (const { strategy, restart, set } of rows) {
  // s allows 2 restarts per second, the app 1 per 10s: s gives up at the third crash (300), the
  // app restarts it once, s gives up again at 600 and the app gives up with it.
  const plan = buildApp([supervisor("s", { strategy, intensity: 2, periodMs: 1000 }, [service("a"), service("b", { restart }), service("c")])], {
    intensity: 1,
    periodMs: 10_000,
  });
  const staysDown = restart === "temporary";
  const story = staysDown ? "stays down and the app runs on" : `restarts ${set.join(", ")} until s gives up twice and the app with it`;

  test(`${strategy}, ${restart} s.b crash-looping: ${story}`, async () => {
    const m = await runMatrix(plan, { faults: { "s.b": ["crash-loop"] }, signals: [[1000, "SIGTERM"]] });
    if (staysDown) {
      assert.equal(m.trace, [
        ...START,
        ...at(100, "crashed s.b", "not-restarted s.b", "stopping s.b", "stopped s.b"),
        ...at(1000, "signal ", "stopping ", "stopping s", ...each(["s.a", "s.c"], "stopping", "stopped"), "stopped s", "stopped ", "exit "),
      ]);
      assert.is(m.exitCode, 0);
      assert.equal(m.reasons, { "s.b": ["sibling-failed"], "s.a": ["signal"], "s.c": ["signal"] });
      assert.equal(m.run.result.report.cause, { kind: "signal", signal: "SIGTERM" });
    } else {
      const restartS = at(300, "restarting s", "starting s", ...CHILDREN.flatMap((id) => [`starting ${id}`, `started ${id}`]), "started s");
      assert.equal(m.trace, [
        ...START,
        ...restartAt(100, set),
        ...restartAt(200, set),
        ...giveUpAt(300),
        ...restartS,
        ...restartAt(400, set),
        ...restartAt(500, set),
        ...giveUpAt(600),
        ...at(600, "gave-up ", "stopping ", "stopped ", "exit "),
      ]);
      assert.is(m.exitCode, 1);
      // In the set: two restarts, then the limit, twice. Outside it: only the limit. b: its own crash each time.
      const seen = (id: string) => (id === "s.b" ? Array(6).fill("sibling-failed") : set.includes(id) ? Array(2).fill(["sibling-failed", "sibling-failed", "restart-limit"]).flat() : ["restart-limit", "restart-limit"]);
      for (const id of CHILDREN) assert.equal(m.reasons[id], seen(id), id);
      assert.equal(m.run.result.report.cause, { kind: "restart-limit", supervisor: "" });
      const restarts = Object.fromEntries(m.run.result.report.nodes.map((n) => [n.id, n.restarts]));
      assert.equal(restarts, { "": 0, s: 1, "s.a": set.includes("s.a") ? 5 : 1, "s.b": 5, "s.c": set.includes("s.c") ? 5 : 1 });
    }
    assert.equal(m.states, { "s.a": "stopped", "s.b": "failed", "s.c": "stopped" });
    assert.equal([...new Set(m.finalized)].length, m.finalized.length, "no finalizer ran twice");
  });
}

/** Exhaustion at each level: b crash-loops under `path` supervisors, each allowing one restart; the app allows none. */
const levels = [
  {
    level: "root",
    plan: buildApp([service("b"), service("x")], { intensity: 1, periodMs: 10_000 }),
    b: "b",
    // The app restarts b once, then gives up: everything stops with restart-limit.
    trace: [
      ...["0 starting ", "0 starting b", "0 started b", "0 starting x", "0 started x", "0 started "],
      ...at(100, "crashed b", "restarting b", "stopping b", "stopped b", "starting b", "started b"),
      ...at(200, "crashed b", "gave-up ", "stopping ", "stopping b", "stopping x", "stopped b", "stopped x", "stopped ", "exit "),
    ],
    gaveUp: [""],
  },
  {
    level: "nested",
    plan: buildApp([supervisor("s", { intensity: 1, periodMs: 10_000 }, [service("b")]), service("x")], { intensity: 0, periodMs: 10_000 }),
    b: "s.b",
    // s gives up, fails to the app, which may not restart anything.
    trace: [
      ...["0 starting ", "0 starting s", "0 starting x", "0 started x", "0 starting s.b", "0 started s.b", "0 started s", "0 started "],
      ...at(100, "crashed s.b", "restarting s.b", "stopping s.b", "stopped s.b", "starting s.b", "started s.b"),
      ...at(200, "crashed s.b", "gave-up s", "stopping s", "stopping s.b", "stopped s.b", "stopped s"),
      ...at(200, "gave-up ", "stopping ", "stopping x", "stopped x", "stopped ", "exit "),
    ],
    gaveUp: ["s", ""],
  },
  {
    level: "nested in nested",
    plan: buildApp([supervisor("o", { intensity: 1, periodMs: 10_000 }, [supervisor("i", { intensity: 1, periodMs: 10_000 }, [service("b")])]), service("x")], {
      intensity: 0,
      periodMs: 10_000,
    }),
    b: "o.i.b",
    // i gives up at 200; o restarts it (fresh record); i gives up again at 400, o has now had
    // one restart too many (nothing of it left to stop), and the app may restart nothing.
    trace: [
      ...["0 starting ", "0 starting o", "0 starting x", "0 started x", "0 starting o.i", "0 starting o.i.b", "0 started o.i.b", "0 started o.i", "0 started o", "0 started "],
      ...at(100, "crashed o.i.b", "restarting o.i.b", "stopping o.i.b", "stopped o.i.b", "starting o.i.b", "started o.i.b"),
      ...at(200, "crashed o.i.b", "gave-up o.i", "stopping o.i", "stopping o.i.b", "stopped o.i.b", "stopped o.i"),
      ...at(200, "restarting o.i", "starting o.i", "starting o.i.b", "started o.i.b", "started o.i"),
      ...at(300, "crashed o.i.b", "restarting o.i.b", "stopping o.i.b", "stopped o.i.b", "starting o.i.b", "started o.i.b"),
      ...at(400, "crashed o.i.b", "gave-up o.i", "stopping o.i", "stopping o.i.b", "stopped o.i.b", "stopped o.i", "gave-up o"),
      ...at(400, "gave-up ", "stopping ", "stopping x", "stopped x", "stopped ", "exit "),
    ],
    gaveUp: ["o.i", "o.i", "o", ""],
  },
];

for (const { level, plan, b, trace, gaveUp } of levels) {
  test(`intensity exhausted at the ${level} level: the chain gives up (${gaveUp.map((id) => id || "app").join(", ")}) and the app exits 1`, async () => {
    const m = await runMatrix(plan, { faults: { [b]: ["crash-loop"] } });
    assert.equal(m.trace, trace);
    assert.equal(m.run.order("gave-up"), gaveUp);
    assert.is(m.exitCode, 1);
    assert.equal(m.run.result.report.cause, { kind: "restart-limit", supervisor: "" });
    assert.equal(m.reasons.x, ["restart-limit"]);
    assert.ok(m.reasons[b]!.every((kind) => kind === "sibling-failed"), "b always stops for its own crash");
    assert.equal(m.states, { [b]: "failed", x: "stopped" });
    assert.ok(m.run.host.logs.includes("[app] the app reached its restart limit: stopping (grace 30s)"));
    assert.is(m.run.host.logs.at(-1), `[app] exit 1: the app reached its restart limit; 1 stopped, 1 failed (${b})`);
  });
}

test.run();

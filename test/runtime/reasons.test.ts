// Cancellation that cannot be lost: every stop reason kind, delivered where it should be, read
// the way a service reads it (`scope.signal.reason` in an abort listener), and handled by an
// exhaustive switch, so that a new kind added to the union breaks the build here first.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { AppPlan } from "../../runtime/api/plan.ts";
import type { ServiceScope, ShutdownReason } from "../../runtime/api/types.ts";
import { bindAll, runVirtual, type RunScript } from "./harness.ts";
import { buildApp, service, supervisor } from "./plans.ts";

const test = suite("runtime/reasons");

/** A sentence per kind: the `never` default fails to compile when the union grows a kind. */
function explain(reason: ShutdownReason): string {
  switch (reason.kind) {
    case "signal":
      return `shutdown on ${reason.signal}`;
    case "parent":
      return `owner closed ${reason.path}`;
    case "sibling-failed":
      return reason.service === "" ? "an error nobody owns" : `restart after ${reason.service} ended`;
    case "timeout":
      return `${reason.service === "" ? "grace" : reason.service}'s ${reason.budgetMs}ms ran out`;
    case "restart-limit":
      return `${reason.supervisor === "" ? "the app" : reason.supervisor} gave up`;
    case "start-failed":
      return `${reason.service} failed to start`;
    default: {
      const unknown: never = reason;
      throw new Error(`unhandled stop reason ${JSON.stringify(unknown)}`);
    }
  }
}

/** Every kind, checked both ways by the compiler: a kind missing here or unknown to the union fails. */
const KINDS = { signal: true, parent: true, "sibling-failed": true, timeout: true, "restart-limit": true, "start-failed": true } satisfies Record<ShutdownReason["kind"], true>;

const boom = new Error("boom");
const hang = (): Promise<never> => new Promise(() => {});

/** Records the reason the watched scope's signal carries when it aborts. */
function watch(seen: ShutdownReason[], more?: (scope: ServiceScope) => unknown) {
  return (scope: ServiceScope) => {
    scope.signal.addEventListener("abort", () => void seen.push(scope.signal.reason!));
    return more?.(scope) ?? {};
  };
}

interface Row {
  readonly where: string;
  readonly plan: AppPlan;
  readonly watched: string;
  readonly bind: (seen: ShutdownReason[]) => Record<string, (scope: ServiceScope) => unknown>;
  readonly script?: RunScript;
  readonly expected: ShutdownReason;
  readonly sentence: string;
}

const rows: Row[] = [
  {
    where: "every service, on a configured signal",
    plan: buildApp([service("a")]),
    watched: "a",
    bind: (seen) => ({ a: watch(seen) }),
    script: { actions: [[10, (h) => h.sendSignal("SIGINT")]] },
    expected: { kind: "signal", signal: "SIGINT" },
    sentence: "shutdown on SIGINT",
  },
  {
    where: "a child scope its owner closes",
    plan: buildApp([service("api")]),
    watched: "api/request",
    bind: (seen) => ({
      api: (scope) => {
        const request = scope.child("request");
        request.signal.addEventListener("abort", () => void seen.push(request.signal.reason!));
        void request.close();
        return {};
      },
    }),
    script: { actions: [[10, (h) => h.sendSignal("SIGTERM")]] },
    expected: { kind: "parent", path: "api/request" },
    sentence: "owner closed api/request",
  },
  {
    where: "a node restarted because something it needs crashed",
    plan: buildApp([service("db"), service("api", { needs: ["db"] })]),
    watched: "api",
    bind: (seen) => {
      let first = true;
      return {
        db: (scope) => (first ? ((first = false), scope.go("work", () => scope.sleep(5).then(() => Promise.reject(boom)))) : undefined),
        api: watch(seen),
      };
    },
    script: { actions: [[10, (h) => h.sendSignal("SIGTERM")]] },
    expected: { kind: "sibling-failed", service: "db", error: boom },
    sentence: "restart after db ended",
  },
  {
    where: "everything, when an error nobody owns shuts the app down",
    plan: buildApp([service("a")]),
    watched: "a",
    bind: (seen) => ({ a: watch(seen) }),
    script: { actions: [[10, (h) => h.raise(boom)]] },
    expected: { kind: "sibling-failed", service: "", error: boom },
    sentence: "an error nobody owns",
  },
  {
    where: "what started, when another service's start times out",
    plan: buildApp([service("a"), service("slow", { startTimeoutMs: 50 })]),
    watched: "a",
    bind: (seen) => ({ a: watch(seen), slow: hang }),
    expected: { kind: "timeout", service: "slow", budgetMs: 50 },
    sentence: "slow's 50ms ran out",
  },
  {
    where: "a service told to stop only when its supervisor's stop timeout ran out",
    plan: buildApp([supervisor("s", { stopTimeoutMs: 100 }, [service("hung"), service("late", { stopAfter: ["s.hung"] })])]),
    watched: "s.late",
    bind: (seen) => ({ "s.hung": (scope) => scope.go("deaf", hang), "s.late": watch(seen) }),
    script: { actions: [[10, (h) => h.sendSignal("SIGTERM")]] },
    expected: { kind: "timeout", service: "s", budgetMs: 100 },
    sentence: "s's 100ms ran out",
  },
  {
    where: "a service told to stop only when the grace period ran out",
    plan: buildApp([service("hung", { stopTimeoutMs: 10_000 }), service("late", { stopAfter: ["hung"] })], { graceMs: 200 }),
    watched: "late",
    bind: (seen) => ({ hung: (scope) => scope.go("deaf", hang), late: watch(seen) }),
    script: { actions: [[10, (h) => h.sendSignal("SIGTERM")]] },
    expected: { kind: "timeout", service: "", budgetMs: 200 },
    sentence: "grace's 200ms ran out",
  },
  {
    where: "the other children of a supervisor that gave up",
    plan: buildApp([supervisor("s", { intensity: 0 }, [service("flaky"), service("other")])], { intensity: 5 }),
    watched: "s.other",
    bind: (seen) => {
      let first = true;
      return {
        "s.flaky": (scope) => (first ? ((first = false), scope.go("work", () => scope.sleep(5).then(() => Promise.reject(boom)))) : undefined),
        "s.other": (scope) => (seen.length === 0 ? watch(seen)(scope) : {}),
      };
    },
    script: { actions: [[10, (h) => h.sendSignal("SIGTERM")]] },
    expected: { kind: "restart-limit", supervisor: "s" },
    sentence: "s gave up",
  },
  {
    where: "what started, when another service's start fails",
    plan: buildApp([service("a"), service("bad", { needs: ["a"] })]),
    watched: "a",
    bind: (seen) => ({
      a: watch(seen),
      bad: () => {
        throw boom;
      },
    }),
    expected: { kind: "start-failed", service: "bad", error: boom },
    sentence: "bad failed to start",
  },
];

for (const row of rows) {
  test(`${row.expected.kind} reaches ${row.where}`, async () => {
    const seen: ShutdownReason[] = [];
    await runVirtual(row.plan, bindAll(row.plan, row.bind(seen)), row.script);
    assert.equal(seen[0], row.expected, `${row.watched} saw ${JSON.stringify(seen[0])}`);
    assert.is(explain(seen[0]!), row.sentence);
  });
}

test("the table above delivers every kind of the union", () => {
  assert.equal(new Set(rows.map((r) => r.expected.kind)), new Set(Object.keys(KINDS)));
});

test.run();

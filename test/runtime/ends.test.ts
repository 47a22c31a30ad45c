// What "ended" means, in one table (docs/runtime.md, "Restarts"): each way a service's code can
// fail or finish, in the phase it happens, and what the runtime makes of it. Nothing here may
// escape as an exception: every row ends in an event, a report entry and an exit code.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { VirtualClock } from "../../runtime/host/clock.ts";
import type { RestartPolicy } from "../../runtime/api/plan.ts";
import type { TestHost } from "../../runtime/testing/index.ts";
import type { ServiceScope } from "../../runtime/api/types.ts";
import { bindAll, runVirtual, signalAt } from "./harness.ts";
import { buildApp, service } from "./plans.ts";

const test = suite("runtime/ends");

const boom = new Error("boom");

interface Row {
  readonly what: string;
  readonly restart?: RestartPolicy;
  /** The first incarnation's start; later ones start cleanly. `host` is there to raise uncaught errors. */
  readonly start: (scope: ServiceScope, clock: VirtualClock, host: () => TestHost) => unknown;
  /** The events about "svc" after its first start began, as "type", until the signal at 100. */
  readonly events: readonly string[];
  readonly exitCode: number;
}

const rows: Row[] = [
  {
    what: "start throws synchronously",
    start: () => {
      throw boom;
    },
    events: ["starting", "start-failed", "stopping", "stopped"],
    exitCode: 1,
  },
  { what: "start rejects", start: async () => Promise.reject(boom), events: ["starting", "start-failed", "stopping", "stopped"], exitCode: 1 },
  {
    what: "a task throws synchronously",
    start: (scope) => void scope.go("t", () => {
      throw boom;
    }),
    // The throw becomes a rejection, handled once the (synchronous) start has completed: a crash.
    events: ["starting", "started", "crashed", "restarting", "stopping", "stopped", "starting", "started", "stopping", "stopped"],
    exitCode: 0,
  },
  {
    what: "a task rejects before an async start returns: the start fails",
    start: async (scope) => {
      scope.go("t", () => scope.sleep(5).then(() => Promise.reject(boom)));
      await scope.sleep(20);
      return {};
    },
    events: ["starting", "start-failed", "stopping", "stopped"],
    exitCode: 1,
  },
  {
    what: "a task rejects while running",
    start: (scope) => void scope.go("t", () => scope.sleep(10).then(() => Promise.reject(boom))),
    events: ["starting", "started", "crashed", "restarting", "stopping", "stopped", "starting", "started", "stopping", "stopped"],
    exitCode: 0,
  },
  {
    what: "a task of a permanent service returns",
    start: (scope) => void scope.go("t", () => scope.sleep(10)),
    events: ["starting", "started", "ended", "restarting", "stopping", "stopped", "starting", "started", "stopping", "stopped"],
    exitCode: 0,
  },
  {
    what: "a task of a transient service returns: not an end",
    restart: "transient",
    start: (scope) => void scope.go("t", () => scope.sleep(10)),
    events: ["starting", "started", "stopping", "stopped"],
    exitCode: 0,
  },
  {
    what: "a task of a temporary service rejects: it stays down",
    restart: "temporary",
    start: (scope) => void scope.go("t", () => scope.sleep(10).then(() => Promise.reject(boom))),
    events: ["starting", "started", "crashed", "not-restarted", "stopping", "stopped"],
    exitCode: 0,
  },
  {
    what: "a timer of the service throws (an uncaught exception attributed to it)",
    start: (_scope, clock, host) => void clock.setTimeout(() => host().raise(boom, "uncaughtException"), 10),
    events: ["starting", "started", "crashed", "restarting", "stopping", "stopped", "starting", "started", "stopping", "stopped"],
    exitCode: 0,
  },
  {
    what: "a finalizer throws on the final stop: a stop error",
    start: (scope) =>
      scope.defer(() => {
        throw boom;
      }),
    events: ["starting", "started", "stopping", "stopped"],
    exitCode: 1,
  },
];

for (const row of rows) {
  test(row.what, async () => {
    const clock = new VirtualClock();
    const plan = buildApp([service("svc", { restart: row.restart ?? "permanent" })]);
    let host: TestHost | undefined;
    let first = true;
    const run = await runVirtual(
      plan,
      bindAll(plan, {
        svc: (scope) => {
          if (!first) return {};
          first = false;
          return row.start(scope, clock, () => host!);
        },
      }),
      { clock, actions: [[0, (h) => void (host = h)], signalAt(100)] },
    );
    assert.equal(run.events.filter((e) => e.id === "svc").map((e) => e.type), [...row.events]);
    assert.is(run.result.exitCode, row.exitCode);
    const errors = run.result.report.nodes.find((n) => n.id === "svc")!.errors;
    const failed = row.events.some((t) => t === "start-failed" || t === "crashed") || row.what.includes("finalizer");
    assert.equal(errors, failed ? [boom] : [], "the error is kept in the report, attributed to the service");
  });
}

test.run();

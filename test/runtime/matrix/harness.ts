// Fault injection for the matrix suites (matrix-*.test.ts): services whose faults are named in a
// table row, run on virtual time, with everything a row asserts collected in one place: the exact
// sequence of events, the stop reason each service saw, which finalizers ran (and how often), the
// exit code and the report.
import type { NodeState, RuntimeEvent } from "../../../runtime/api/events.ts";
import type { AppPlan } from "../../../runtime/api/plan.ts";
import { VirtualClock } from "../../../runtime/host/clock.ts";
import type { ServiceScope, ShutdownReason } from "../../../runtime/api/types.ts";
import { bindAll, runVirtual, type VirtualRun } from "../harness.ts";

export type Fault =
  /** `start` throws before returning anything. */
  | "start-throws"
  /** `start` returns a promise that rejects 10ms later. */
  | "start-rejects"
  /** `start` never settles and ignores its signal. */
  | "start-hangs"
  /** Its finalizer never settles: the stop hangs. */
  | "stop-hangs"
  /** Its finalizer throws. */
  | "finalizer-throws"
  /** A task named "deaf" ignores the signal and never ends. */
  | "task-ignores-signal"
  /** A task named "work" rejects `crashAfterMs` after every start. */
  | "crash-loop"
  /** Every start after the first one throws. */
  | "restart-throws"
  /** Every start after the first one never settles and ignores its signal. */
  | "restart-hangs"
  /** Every start takes 50ms; cancelled meanwhile, it gives up at once (it honours its signal). */
  | "slow-start"
  /** A task named "drain" takes 50ms after the signal (a stop with something to wait for). */
  | "slow-stop";

export interface MatrixOptions {
  readonly faults: Readonly<Record<string, readonly Fault[]>>;
  readonly crashAfterMs?: number;
  /** [virtual ms, signal] to send. */
  readonly signals?: readonly (readonly [number, string])[];
  readonly random?: () => number;
}

export interface MatrixRun {
  readonly run: VirtualRun;
  /** "at type id" for every event, in order. */
  readonly trace: readonly string[];
  readonly exitCode: number;
  /** Per service, the kind of each stop reason its scope saw, one per incarnation that stopped. */
  readonly reasons: Readonly<Record<string, readonly ShutdownReason["kind"][]>>;
  /** "id#incarnation" each time a finalizer ran: a repeat would be a finalizer run twice. */
  readonly finalized: readonly string[];
  /** Service id -> final state. */
  readonly states: Readonly<Record<string, NodeState>>;
}

const never = (): Promise<never> => new Promise(() => {});

/** Runs `plan` with the faults of `options` until it exits. */
export async function runMatrix(plan: AppPlan, options: MatrixOptions): Promise<MatrixRun> {
  const clock = new VirtualClock();
  const reasons: Record<string, ShutdownReason["kind"][]> = {};
  const finalized: string[] = [];
  const starts: Record<string, number> = {};
  const bind = (id: string, faults: readonly Fault[]) => (scope: ServiceScope) => {
    const incarnation = (starts[id] = (starts[id] ?? 0) + 1);
    const has = (fault: Fault): boolean => faults.includes(fault);
    // Registered first, so it runs last, whatever else the service did: the reason it saw.
    scope.defer(() => void (reasons[id] ??= []).push(scope.signal.reason!.kind));
    scope.defer(() => void finalized.push(`${id}#${incarnation}`));
    if (has("stop-hangs")) scope.defer(never);
    if (has("finalizer-throws")) {
      scope.defer(() => {
        throw new Error(`${id}: finalizer failed`);
      });
    }
    if (has("task-ignores-signal")) scope.go("deaf", never);
    if (has("slow-stop")) scope.go("drain", (signal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => clock.setTimeout(resolve, 50))));
    if (has("crash-loop")) {
      scope.go("work", async (signal) => {
        await scope.sleep(options.crashAfterMs ?? 100);
        if (!signal.aborted) throw new Error(`${id}: crash ${incarnation}`);
      });
    }
    if (has("start-throws") || (has("restart-throws") && incarnation > 1)) throw new Error(`${id}: start failed`);
    if (has("start-rejects")) return scope.sleep(10).then(() => Promise.reject(new Error(`${id}: start rejected`)));
    if (has("start-hangs") || (has("restart-hangs") && incarnation > 1)) return never();
    if (has("slow-start")) {
      return scope.sleep(50).then(() => {
        if (scope.signal.aborted) throw scope.signal.reason;
        return { id };
      });
    }
    return { id };
  };
  // Every service is bound (the ones without faults too), so every stop reason is seen.
  const overrides = Object.fromEntries(Object.keys(bindAll(plan)).map((id) => [id, bind(id, options.faults[id] ?? [])]));
  const actions = (options.signals ?? []).map(([ms, signal]) => [ms, (host: { sendSignal(s: string): void }) => host.sendSignal(signal)] as const);
  const run = await runVirtual(plan, bindAll(plan, overrides), { clock, actions, random: options.random });
  return {
    run,
    trace: run.trace,
    exitCode: run.result.exitCode,
    reasons,
    finalized,
    states: Object.fromEntries(run.result.report.nodes.filter((n) => n.kind === "service").map((n) => [n.id, n.state])),
  };
}

/** Events of the run that are not about the app as a whole, as "at type id" (to keep tables short). */
export function traceOf(events: readonly RuntimeEvent[], keep: (event: RuntimeEvent) => boolean = () => true): string[] {
  return events.filter(keep).map((e) => `${e.at} ${e.type} ${e.id}`);
}

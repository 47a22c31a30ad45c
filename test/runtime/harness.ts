// Runs an app with hand-written services on a virtual clock, for tests that need more than the
// test doubles of `simulate` (handles, reasons, finalizer order, fatal errors).
import type { RunResult, RuntimeEvent, RuntimeEventType } from "../../runtime/api/events.ts";
import type { Bindings } from "../../runtime/engine/plan-index.ts";
import type { AppPlan } from "../../runtime/api/plan.ts";
import { runApp } from "../../runtime/main/run-app.ts";
import { createTestHost, type TestHost } from "../../runtime/testing/index.ts";
import { VirtualClock, flushMicrotasks } from "../../runtime/host/clock.ts";
import type { ServiceScope } from "../../runtime/api/types.ts";

export interface VirtualRun {
  readonly result: RunResult;
  readonly events: readonly RuntimeEvent[];
  readonly host: TestHost;
  at(type: RuntimeEventType, id: string): number | undefined;
  order(type: RuntimeEventType): string[];
  /** "at type id" for every event, to compare whole sequences. */
  readonly trace: string[];
}

export interface RunScript {
  /** [virtual ms, action]: run at that time, e.g. to send a signal. */
  readonly actions?: readonly (readonly [number, (host: TestHost) => void])[];
  readonly maxMs?: number;
  /** The clock to run on, when the services need it too. */
  readonly clock?: VirtualClock;
  /** Jitter of restart backoff; default always 0.5, as in `simulate`. */
  readonly random?: () => number;
}

export async function runVirtual(plan: AppPlan, bindings: Bindings, script: RunScript = {}): Promise<VirtualRun> {
  const clock = script.clock ?? new VirtualClock();
  const host = createTestHost(clock);
  const events: RuntimeEvent[] = [];
  for (const [ms, action] of script.actions ?? []) clock.setTimeout(() => action(host), ms);
  let result: RunResult | undefined;
  let failure: { error: unknown } | undefined;
  runApp(plan, bindings, { host, onEvent: (e) => events.push(e), random: script.random ?? (() => 0.5) }).then(
    (r) => (result = r),
    (error: unknown) => (failure = { error }),
  );
  await flushMicrotasks();
  const maxMs = script.maxMs ?? 3_600_000;
  while (result === undefined && failure === undefined) {
    const next = clock.nextTimerAt();
    if (next === undefined || next > maxMs) throw new Error(`runVirtual: stalled at ${clock.now()}ms`);
    await clock.fireNext();
  }
  if (failure !== undefined) throw failure.error;
  return {
    result: result!,
    events,
    host,
    at: (type, id) => events.find((e) => e.type === type && e.id === id)?.at,
    order: (type) => events.filter((e) => e.type === type).map((e) => e.id),
    trace: events.map((e) => `${e.at} ${e.type} ${e.id}`),
  };
}

/** Sends `signal` at `ms`. */
export function signalAt(ms: number, signal = "SIGTERM"): readonly [number, (host: TestHost) => void] {
  return [ms, (host) => host.sendSignal(signal)];
}

/** A start function for every service id given, the rest trivial. */
export function bindAll(plan: AppPlan, overrides: Record<string, (scope: ServiceScope<any>) => unknown> = {}): Bindings {
  const bindings: Record<string, (scope: ServiceScope<any>) => unknown> = {};
  const stack = [plan.root as AppPlan["root"] | AppPlan["root"]["children"][number]];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === "service") bindings[node.id] = overrides[node.id] ?? ((scope) => ({ id: scope.id }));
    else stack.push(...node.children);
  }
  return bindings;
}

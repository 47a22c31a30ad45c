// Test support, imported as `supervise/runtime/testing` by generated test suites: a host for
// tests (virtual clock, signals sent by calling a method, log lines kept in memory), test doubles
// (real services driven by a small behaviour description), and `simulate`, which runs a plan
// against the doubles until it exits. A 30 s grace period is simulated in milliseconds of real
// time, and the same inputs always give the same events.
import { flushMicrotasks, VirtualClock } from "../host/clock.ts";
import type { RunResult, RuntimeEvent, RuntimeEventType, ShutdownReport } from "../api/events.ts";
import type { Host } from "../host/host.ts";
import type { Bindings } from "../engine/plan-index.ts";
import type { AppPlan, NodePlan } from "../api/plan.ts";
import { runApp } from "../main/run-app.ts";
import type { Clock, ServiceScope } from "../api/types.ts";

export { VirtualClock, flushMicrotasks } from "../host/clock.ts";

// ---- The test host

export interface TestHost extends Host {
  readonly clock: VirtualClock;
  /** Every line written through `writeLog`, in order. */
  readonly logs: string[];
  /** Every code passed to `exit`, in order. */
  readonly exitCodes: number[];
  /** Delivers a signal to the handlers installed for it, as the OS would. */
  sendSignal(signal: string): void;
  /** Reports an error nobody caught, as an unhandled rejection would reach the process. */
  raise(error: unknown, origin?: string): void;
  /** Installed signal and fatal-error handlers, to check that a run removed its own. */
  readonly handlerCount: number;
}

export function createTestHost(clock: VirtualClock = new VirtualClock()): TestHost {
  const signalHandlers = new Map<string, Set<() => void>>();
  const fatalHandlers = new Set<(error: unknown, origin: string) => void>();
  const logs: string[] = [];
  const exitCodes: number[] = [];
  return {
    clock,
    logs,
    exitCodes,
    onSignal(signal, handler) {
      const handlers = signalHandlers.get(signal) ?? new Set();
      signalHandlers.set(signal, handlers);
      // Wrapped, so the same function installed twice stays two installations, as with process.on.
      const installed = (): void => handler();
      handlers.add(installed);
      return () => void handlers.delete(installed);
    },
    exit: (code) => void exitCodes.push(code),
    writeLog: (line) => void logs.push(line),
    onFatal(handler) {
      const installed = (error: unknown, origin: string): void => handler(error, origin);
      fatalHandlers.add(installed);
      return () => void fatalHandlers.delete(installed);
    },
    sendSignal(signal) {
      for (const handler of [...(signalHandlers.get(signal) ?? [])]) handler();
    },
    raise(error, origin = "unhandledRejection") {
      for (const handler of [...fatalHandlers]) handler(error, origin);
    },
    get handlerCount() {
      let count = fatalHandlers.size;
      for (const handlers of signalHandlers.values()) count += handlers.size;
      return count;
    },
  };
}

// ---- Test doubles

export interface DoubleBehaviour {
  /** Start takes this long (cut short, and then failing, when cancelled meanwhile). */
  readonly startMs?: number;
  /** Start throws (after `startMs`). */
  readonly failStart?: boolean;
  /** Start never settles and ignores its signal: only the start timeout ends it. */
  readonly hangStart?: boolean;
  /** After the signal, a task named "loop" takes this long to finish. */
  readonly stopMs?: number;
  /** After the signal, the "loop" task never finishes: the service must be abandoned. */
  readonly hangStop?: boolean;
  /** A finalizer throws on stop. */
  readonly failStop?: boolean;
  /** The "loop" task rejects this long after each start (to exercise restarts). */
  readonly crashAfterMs?: number;
}

const never = new Promise<never>(() => {});

function collectServiceIds(plan: AppPlan): string[] {
  const ids: string[] = [];
  const stack: NodePlan[] = [plan.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === "service") ids.push(node.id);
    else for (const child of node.children) stack.push(child);
  }
  return ids;
}

/** Waits on the clock whatever happens: the part of a stop that does not listen to the signal. */
function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

function createDouble(id: string, behaviour: DoubleBehaviour, clock: Clock) {
  return async (scope: ServiceScope<Record<string, unknown>>) => {
    if (behaviour.hangStart) await never;
    if (behaviour.startMs !== undefined && behaviour.startMs > 0) {
      await scope.sleep(behaviour.startMs);
      if (scope.signal.aborted) throw new Error(`${id}: start cancelled (test double)`);
    }
    if (behaviour.failStart) throw new Error(`${id}: start failed (test double)`);
    if (behaviour.failStop) {
      scope.defer(() => {
        throw new Error(`${id}: stop failed (test double)`);
      });
    }
    const { crashAfterMs, hangStop, stopMs } = behaviour;
    if (crashAfterMs !== undefined || hangStop || stopMs !== undefined) {
      scope.go("loop", async (signal) => {
        await scope.sleep(crashAfterMs ?? Infinity);
        if (!signal.aborted) throw new Error(`${id}: crashed (test double)`);
        if (hangStop) await never;
        if (stopMs !== undefined) await delay(clock, stopMs);
      });
    }
    return Object.freeze({ id, deps: Object.keys(scope.deps) });
  };
}

/** A start function for every service of the plan; services without a behaviour start and stop at once. */
export function createDoubles(plan: AppPlan, behaviours: Readonly<Record<string, DoubleBehaviour>>, clock: Clock): Bindings {
  const ids = collectServiceIds(plan);
  const known = new Set(ids);
  for (const id of Object.keys(behaviours)) {
    if (!known.has(id)) throw new Error(`simulate: a behaviour is given for "${id}", which is not a service of the plan`);
  }
  return Object.fromEntries(ids.map((id) => [id, createDouble(id, behaviours[id] ?? {}, clock)]));
}

// ---- simulate

export interface SimulateOptions {
  /** By service id; a service without one starts and stops at once. */
  readonly doubles?: Readonly<Record<string, DoubleBehaviour>>;
  /** Sent once the whole tree has started, or at `signalAtMs` when given. */
  readonly signal?: string;
  readonly signalAtMs?: number;
  /** Sent this long after the first signal. */
  readonly secondSignal?: { readonly signal: string; readonly afterMs: number };
  /** Safety stop: fail if the app is still running after this much virtual time. Default: 1 day. */
  readonly maxVirtualMs?: number;
  /** Jitter of restart backoff, in [0, 1). Default: always 0.5, so delays are the same every run. */
  readonly random?: () => number;
}

export interface Simulation {
  readonly exitCode: number;
  readonly events: readonly RuntimeEvent[];
  readonly report: ShutdownReport;
  /** The lifecycle log, as it would have been written to stderr. */
  readonly logs: readonly string[];
  /** When the first event of that type for that id happened, or undefined if it never did. */
  at(type: RuntimeEventType, id: string): number | undefined;
  /** The ids of every event of that type, in order (repeats included). */
  order(type: RuntimeEventType): string[];
  /** Index in `events` of the first event of that type for that id, or -1: orders same-time events. */
  position(type: RuntimeEventType, id: string): number;
  /** When the first event of that type happened, whatever its id ("signal", "exit"), or undefined. */
  firstAt(type: RuntimeEventType): number | undefined;
}

/** Runs `plan` with test doubles on a virtual clock until it exits. */
export async function simulate(plan: AppPlan, options: SimulateOptions = {}): Promise<Simulation> {
  const clock = new VirtualClock();
  const host = createTestHost(clock);
  const events: RuntimeEvent[] = [];
  const maxVirtualMs = options.maxVirtualMs ?? 86_400_000;
  const { signal, signalAtMs, secondSignal } = options;
  let signalled = false;
  const sendFirstSignal = (): void => {
    if (signal === undefined || signalled) return;
    signalled = true;
    host.sendSignal(signal);
    if (secondSignal !== undefined) clock.setTimeout(() => host.sendSignal(secondSignal.signal), secondSignal.afterMs);
  };
  if (signal !== undefined && signalAtMs !== undefined) clock.setTimeout(sendFirstSignal, signalAtMs);

  const onEvent = (event: RuntimeEvent): void => {
    events.push(event);
    // Through the clock, so the signal arrives after the event has been fully handled.
    if (event.type === "started" && event.id === "" && signalAtMs === undefined) clock.setTimeout(sendFirstSignal, 0);
  };
  const bindings = createDoubles(plan, options.doubles ?? {}, clock);
  let result: RunResult | undefined;
  let failure: { error: unknown } | undefined;
  runApp(plan, bindings, { host, onEvent, log: "text", random: options.random ?? (() => 0.5) }).then(
    (r) => (result = r),
    (error: unknown) => (failure = { error }),
  );
  await flushMicrotasks();
  while (result === undefined && failure === undefined) {
    const next = clock.nextTimerAt();
    if (next === undefined) throw new Error(`simulate: stalled at ${clock.now()}ms: nothing is scheduled and the app has not exited (still up: ${listUp(events)})`);
    if (next > maxVirtualMs) throw new Error(`simulate: the app was still running after ${maxVirtualMs}ms of virtual time (still up: ${listUp(events)})`);
    await clock.fireNext();
  }
  if (failure !== undefined) throw failure.error;
  const { exitCode, report } = result!;
  return {
    exitCode,
    events,
    report,
    logs: host.logs,
    at: (type, id) => events.find((e) => e.type === type && e.id === id)?.at,
    order: (type) => events.filter((e) => e.type === type).map((e) => e.id),
    position: (type, id) => events.findIndex((e) => e.type === type && e.id === id),
    firstAt: (type) => events.find((e) => e.type === type)?.at,
  };
}

/** Services whose last event leaves them up, for a stall message. */
function listUp(events: readonly RuntimeEvent[]): string {
  const last = new Map<string, RuntimeEventType>();
  for (const e of events) if (e.id !== "") last.set(e.id, e.type);
  const up = [...last].filter(([, type]) => type === "starting" || type === "started" || type === "stopping").map(([id]) => id);
  return up.length > 0 ? up.join(", ") : "none";
}

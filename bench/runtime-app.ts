// Runs a bench graph through the runtime as built (see bench/built.ts): builds the AppPlan a compiler would (ids are names,
// startAfter = what a service needs, stopAfter = its dependents), a host on the real clock whose
// signals the bench delivers, and `runApp` with logging off. Shutdown starts with a SIGTERM as
// soon as every service has started; the run ends when `runApp` resolves.
import type { RuntimeEvent } from "../runtime/api/events.ts";
import type { Host } from "../runtime/host/host.ts";
import type { AppPlan, ServicePlan } from "../runtime/api/plan.ts";
import type { Bindings } from "../runtime/index.ts";
import type { ServiceScope, StartFn } from "../runtime/api/types.ts";
import type { RuntimeModule } from "./built.ts";
import { serviceName, type Graph } from "./shapes.ts";

export const START_TIMEOUT_MS = 15_000;
export const STOP_TIMEOUT_MS = 5_000;

export function buildPlan(graph: Graph, name = `bench-${graph.shape}-${graph.size}`): AppPlan {
  const children: ServicePlan[] = [];
  for (let i = 0; i < graph.size; i++) {
    const needs = graph.needs[i]!.map(serviceName);
    children.push({
      kind: "service",
      id: serviceName(i),
      name: serviceName(i),
      needs: needs.map((id) => ({ key: id, target: id })),
      startAfter: needs,
      stopAfter: graph.dependents[i]!.map(serviceName),
      stopTimeoutMs: STOP_TIMEOUT_MS,
      restart: "permanent",
      startTimeoutMs: START_TIMEOUT_MS,
    });
  }
  return {
    name,
    graceMs: 60_000,
    signals: ["SIGTERM"],
    root: {
      kind: "supervisor",
      id: "",
      name,
      needs: [],
      startAfter: [],
      stopAfter: [],
      stopTimeoutMs: Infinity,
      restart: "permanent",
      strategy: "one_for_one",
      intensity: 5,
      periodMs: 60_000,
      children,
    },
  };
}

/** The same start function for every service (a small handle, nothing to stop). */
export function bindAll(graph: Graph, start: (index: number) => StartFn<object, unknown>): Bindings {
  const bindings: Record<string, StartFn<object, unknown>> = {};
  for (let i = 0; i < graph.size; i++) bindings[serviceName(i)] = start(i);
  return bindings;
}

export const trivialStart = (index: number): StartFn<object, unknown> => () => ({ index });

/** Stops after `ms` on real timers, through a finalizer (what a draining server does). */
export const slowStop = (stopMs: readonly number[]) => (index: number): StartFn<object, unknown> => (scope: ServiceScope) => {
  scope.defer(() => new Promise<void>((resolve) => setTimeout(resolve, stopMs[index]!)));
  return { index };
};

export interface BenchHost extends Host {
  deliver(signal: string): void;
}

/** The real clock, signals delivered by the bench, no output, exit codes ignored. */
export function createBenchHost(rt: RuntimeModule): BenchHost {
  const handlers = new Map<string, Set<() => void>>();
  return {
    clock: rt.realClock,
    onSignal(signal, handler) {
      const set = handlers.get(signal) ?? new Set();
      handlers.set(signal, set);
      set.add(handler);
      return () => void set.delete(handler);
    },
    exit: () => {},
    writeLog: () => {},
    deliver(signal) {
      for (const handler of [...(handlers.get(signal) ?? [])]) handler();
    },
  };
}

export interface AppRun {
  readonly exitCode: number;
  /** performance.now() when every service had started and when the app had stopped. */
  readonly startedAt: number;
  readonly stoppedAt: number;
  readonly signalledAt: number;
  readonly stoppedServices: number;
}

/**
 * Runs the app; once the whole tree has started (the app supervisor "" reports `started`), calls
 * `onAllStarted` (for a heap measurement; it may be async) and then delivers SIGTERM.
 */
export async function runToShutdown(
  rt: RuntimeModule,
  plan: AppPlan,
  bindings: Bindings,
  onAllStarted?: () => unknown,
  options: { readonly watchdog?: boolean } = {},
): Promise<AppRun> {
  // The bench host has no watchdog unless asked for: the real one (bench/watchdog.ts measures its cost).
  const host: BenchHost = options.watchdog === true ? { ...createBenchHost(rt), startWatchdog: rt.realHost.startWatchdog! } : createBenchHost(rt);
  let startedAt = Number.NaN;
  let signalledAt = Number.NaN;
  const onEvent = (event: RuntimeEvent): void => {
    if (event.type !== "started" || event.id !== "") return;
    startedAt = performance.now();
    // Delivered from a fresh task, as a real signal would be, never from inside the runtime.
    setImmediate(async () => {
      if (onAllStarted) await onAllStarted();
      signalledAt = performance.now();
      host.deliver("SIGTERM");
    });
  };
  const result = await rt.runApp(plan, bindings, { host, log: "none", onEvent });
  return { exitCode: result.exitCode, startedAt, signalledAt, stoppedAt: performance.now(), stoppedServices: result.report.stopped.length };
}

/** Every service stopped and the exit code is 0, or the figure measured something else: throws. */
export function assertCleanStop(run: AppRun, services: number, what: string): void {
  if (run.exitCode !== 0 || run.stoppedServices !== services) throw new Error(`${what}: exit ${run.exitCode}, ${run.stoppedServices} stopped`);
}

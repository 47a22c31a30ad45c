// Runs apps of process services on real time with real child processes (small `node -e`
// programs), on a host that keeps its log in memory and delivers signals by a method call, so
// that only the children are real processes. Used by test/runtime/process-*.test.ts.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { realClock } from "../../../runtime/host/clock.ts";
import type { RunResult, RuntimeEvent } from "../../../runtime/api/events.ts";
import type { Host } from "../../../runtime/host/host.ts";
import type { AppPlan, ExecPlan, RestartPolicy, ServicePlan } from "../../../runtime/api/plan.ts";
import { bindProcess } from "../../../runtime/process/process-service.ts";
import { runApp } from "../../../runtime/main/run-app.ts";

export const HERE = dirname(fileURLToPath(import.meta.url));

export interface ProcessSpec {
  readonly name: string;
  /** JavaScript run with `node -e`; or a whole argv. */
  readonly script?: string;
  readonly argv?: readonly string[];
  readonly stopTimeoutMs?: number;
  readonly startTimeoutMs?: number;
  readonly restart?: RestartPolicy;
  readonly exec?: Partial<ExecPlan>;
}

export function buildProcessPlan(specs: readonly ProcessSpec[], app: { intensity?: number; periodMs?: number; graceMs?: number } = {}): AppPlan {
  const services: ServicePlan[] = specs.map((s) => ({
    kind: "service",
    id: s.name,
    name: s.name,
    needs: [],
    startAfter: [],
    stopAfter: [],
    stopTimeoutMs: s.stopTimeoutMs ?? 2000,
    startTimeoutMs: s.startTimeoutMs ?? 2000,
    restart: s.restart ?? "permanent",
    exec: { argv: s.argv ?? [process.execPath, "-e", s.script ?? ""], cwd: ".", env: {}, stopSignal: "SIGTERM", ...s.exec },
  }));
  return {
    name: "procs",
    graceMs: app.graceMs ?? 10_000,
    signals: ["SIGTERM"],
    root: {
      kind: "supervisor",
      id: "",
      name: "procs",
      needs: [],
      startAfter: [],
      stopAfter: [],
      stopTimeoutMs: app.graceMs ?? 10_000,
      restart: "permanent",
      strategy: "one_for_one",
      intensity: app.intensity ?? 1,
      periodMs: app.periodMs ?? 5000,
      children: services,
    },
  };
}

export interface ProcessRunOutcome {
  readonly result: RunResult;
  readonly logs: readonly string[];
  readonly events: readonly RuntimeEvent[];
}

export interface RunProcessesOptions {
  /** SIGTERM once a log line matches (default: every service started); never when null. */
  readonly signalWhen?: RegExp | null;
}

/** Runs the plan with every service bound to its program; resolves when the app has exited. */
export async function runProcesses(plan: AppPlan, options: RunProcessesOptions = {}): Promise<ProcessRunOutcome> {
  const logs: string[] = [];
  const events: RuntimeEvent[] = [];
  const handlers = new Map<string, Set<() => void>>();
  const signalWhen = options.signalWhen === undefined ? /all \d+ services? started/ : options.signalWhen;
  let signalled = false;
  const host: Host = {
    clock: realClock,
    onSignal(signal, handler) {
      const set = handlers.get(signal) ?? new Set();
      handlers.set(signal, set);
      set.add(handler);
      return () => void set.delete(handler);
    },
    exit: () => {},
    writeLog(line) {
      logs.push(line);
      if (signalled || signalWhen === null || !signalWhen.test(line)) return;
      signalled = true;
      // Later, so that the line's event is handled completely first.
      setTimeout(() => handlers.get("SIGTERM")?.forEach((h) => h()), 0);
    },
  };
  const bindings = Object.fromEntries(
    plan.root.children.map((s) => [s.id, bindProcess(plan, s.id, HERE, { clock: realClock })]),
  );
  const result = await runApp(plan, bindings, { host, onEvent: (e) => events.push(e) });
  return { result, logs, events };
}

/**
 * True once `pid` has exited: kill(pid, 0) fails with ESRCH, or the process is a zombie (it has
 * exited, and waits for a parent to collect its status: in a container whose PID 1 does not
 * collect orphans, that never happens).
 */
export function hasExited(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

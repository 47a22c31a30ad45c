// Process services: a service that runs an external program (`exec` in a spec) instead of a
// module, supervised like any other (start and stop order, restarts, budgets). Generated main.ts
// binds each one with `bindProcess(plan, id, specDir)`; the plan holds the program's argv
// (already split by the compiler: no shell is ever invoked), cwd, env, stop signal and readiness.
//
// A program's life is one task of the service's scope, named "process": the service has stopped
// once the program and everything in its process group have ended, and the program exiting by
// itself ends the service (exit 0: a normal end; otherwise a failure), so the restart policy
// applies. Its stdout and stderr lines go to the lifecycle log through `scope.log`.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { realClock } from "../host/clock.ts";
import type { AppPlan, ExecPlan, NodePlan, ServicePlan } from "../api/plan.ts";
import { ProcessRun } from "./process-run.ts";
import type { ProcessHandle } from "../api/process-types.ts";
import { findSignalNumber } from "../host/signals.ts";
import type { Clock, ReloadFn, ServiceScope, StartFn } from "../api/types.ts";

export interface ProcessOptions {
  /** For the SIGKILL deadline (a budget); default: the real clock. Waits on the OS are always on real time. */
  readonly clock?: Clock;
}

interface ProcessConfig {
  readonly id: string;
  readonly exec: ExecPlan;
  /** Absolute. */
  readonly cwd: string;
  readonly stopTimeoutMs: number;
  readonly clock: Clock;
}

/**
 * The start function of the process service `id` of `plan`. `specDir` is the spec's directory
 * (a path or a file URL), which the plan's `cwd` is relative to. Throws at once for an id that
 * is not a process service or an exec config that cannot run, before anything starts.
 */
export function bindProcess(plan: AppPlan, id: string, specDir: string | URL, options: ProcessOptions = {}): StartFn<{}, ProcessHandle> & { readonly reload: ReloadFn } {
  const service = findService(plan, id);
  const exec = service.exec!;
  const base = typeof specDir === "string" && !specDir.startsWith("file:") ? specDir : fileURLToPath(specDir);
  const config: ProcessConfig = {
    id,
    exec,
    cwd: resolve(base, exec.cwd),
    stopTimeoutMs: service.stopTimeoutMs,
    clock: options.clock ?? realClock,
  };
  // On a reload, the program gets its reload signal (the app's, unless the spec names its own).
  const reloadSignal = exec.reloadSignal ?? plan.reloadSignal;
  const reload: ReloadFn = (_scope, handle) => {
    const run = RUNS.get(handle as ProcessHandle);
    if (reloadSignal !== undefined && run !== undefined && !run.reload(reloadSignal)) throw new Error("the program is not running");
  };
  return Object.assign((scope: ServiceScope<{}>) => startProcess(config, scope), { reload });
}

/** The run behind each handle, for its reload: handles are frozen plain objects users hold. */
const RUNS = new WeakMap<ProcessHandle, ProcessRun>();

function findService(plan: AppPlan, id: string): ServicePlan {
  const stack: NodePlan[] = [plan.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.id === id && node.kind === "service") {
      const problem = checkExecPlan(node.exec);
      if (problem !== undefined) throw new Error(`bindProcess: service "${id}": ${problem}`);
      return node;
    }
    if (node.kind === "supervisor") stack.push(...node.children);
  }
  throw new Error(`bindProcess: the plan of "${plan.name}" has no service "${id}"`);
}

/** Why this exec config cannot run, or undefined. Plans can be written by hand. */
function checkExecPlan(exec: ExecPlan | undefined): string | undefined {
  if (exec === undefined) return "it has no exec (it is a module service)";
  const { argv, cwd, env, stopSignal, readyWhenStdout } = exec;
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== "string") || argv[0] === "") {
    return "exec.argv must be a non-empty list of strings";
  }
  if (typeof cwd !== "string") return "exec.cwd must be a string";
  if (typeof env !== "object" || env === null || Object.values(env).some((v) => typeof v !== "string")) return "exec.env must map names to strings";
  if (findSignalNumber(stopSignal) === undefined) return `unknown stop signal ${JSON.stringify(stopSignal)}`;
  if (readyWhenStdout !== undefined && typeof readyWhenStdout !== "string") return "exec.readyWhenStdout must be a string";
  if (exec.reloadSignal !== undefined && findSignalNumber(exec.reloadSignal) === undefined) return `unknown reload signal ${JSON.stringify(exec.reloadSignal)}`;
  return undefined;
}

/** Spawns the program, waits for readiness if asked, and returns its handle. */
async function startProcess(config: ProcessConfig, scope: ServiceScope<{}>): Promise<ProcessHandle> {
  const { exec } = config;
  const ready = exec.readyWhenStdout !== undefined ? createReadiness(exec.readyWhenStdout) : undefined;
  const child = await spawnProgram(config);
  const run = new ProcessRun(child, {
    stopSignal: exec.stopSignal,
    stopTimeoutMs: config.stopTimeoutMs,
    clock: config.clock,
    log: (message) => scope.log(message),
    ...(ready !== undefined ? { onStdoutLine: ready.onLine } : {}),
  });
  scope.log(`spawned pid ${run.pid}: ${formatArgv(exec.argv)}`);
  // Listening before the task does, so that a start timeout is explained before the stop it causes.
  const readiness = ready?.wait(run, scope);
  try {
    scope.go("process", (signal) => waitForEnd(run, signal));
  } catch (error) {
    // The runtime already gave up on this start (its timeout ran out and the scope closed):
    // nobody else will ever stop this program.
    readiness?.catch(() => {});
    run.stop();
    throw error;
  }
  if (readiness !== undefined) await readiness;
  const handle: ProcessHandle = Object.freeze({ pid: run.pid, status: () => run.status() });
  RUNS.set(handle, run);
  return handle;
}

/** Resolves once the program is running; rejects with a message that says what to fix. */
function spawnProgram(config: ProcessConfig): Promise<ChildProcess> {
  const { argv, env } = config.exec;
  return new Promise((resolvePromise, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(argv[0]!, argv.slice(1), {
        cwd: config.cwd,
        env: { ...process.env, ...env },
        // Its own process group: stop signals reach everything it forks, and a terminal's
        // Ctrl-C reaches only the supervisor, which stops programs in the spec's order.
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      reject(new Error(describeSpawnError(error, config)));
      return;
    }
    const onError = (error: Error): void => reject(new Error(describeSpawnError(error, config)));
    child.once("error", onError);
    child.once("spawn", () => {
      child.off("error", onError);
      resolvePromise(child);
    });
  });
}

/** The command for a log line: plain words as they are, others quoted, so the argv is unambiguous. */
function formatArgv(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(" ");
}

function describeSpawnError(error: unknown, config: ProcessConfig): string {
  const program = config.exec.argv[0]!;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" && !existsSync(config.cwd)) return `cannot run ${program}: its working directory ${config.cwd} does not exist`;
  if (code === "ENOENT") {
    return program.includes("/") ? `cannot run ${program}: no such file (relative to ${config.cwd})` : `cannot run ${program}: not found in PATH`;
  }
  if (code === "EACCES") return `cannot run ${program}: permission denied (is it executable?)`;
  return `cannot run ${program}: ${error instanceof Error ? error.message : String(error)}`;
}

/** The "process" task: stops the program when the scope is cancelled, ends when its group has. */
function waitForEnd(run: ProcessRun, signal: AbortSignal): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onAbort = (): void => run.stop();
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    run.whenEnded((end) => {
      signal.removeEventListener("abort", onAbort);
      if (end.ok) resolvePromise();
      else reject(end.error);
    });
  });
}

interface Readiness {
  readonly onLine: (line: string) => void;
  wait(run: ProcessRun, scope: ServiceScope<{}>): Promise<void>;
}

/** `ready when stdout "<text>"`: started once a line contains the text. The start timeout bounds it. */
function createReadiness(text: string): Readiness {
  let seen = false;
  let onSeen: (() => void) | undefined;
  return {
    onLine(line) {
      if (seen || !line.includes(text)) return;
      seen = true;
      onSeen?.();
    },
    wait(run, scope) {
      if (seen) return Promise.resolve();
      return new Promise((resolvePromise, reject) => {
        const signal = scope.signal;
        const onAbort = (): void => {
          const reason = signal.reason;
          if (reason?.kind === "timeout" && reason.service === scope.id) scope.log(`no line on stdout contained ${JSON.stringify(text)} within the start timeout`);
          // Rejecting with the reason itself: the start honoured its cancellation.
          reject(reason);
        };
        onSeen = () => (signal.removeEventListener("abort", onAbort), resolvePromise());
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        run.whenEnded(() => {
          signal.removeEventListener("abort", onAbort);
          const status = run.status();
          const how = status.exitCode !== null ? `exited with code ${status.exitCode}` : `was killed by ${status.signal}`;
          reject(new Error(`the program ${how} before a line on stdout contained ${JSON.stringify(text)}`));
        });
      });
    },
  };
}

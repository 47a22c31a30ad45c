// The generated `services.test.ts` runs each service's real module in a child process of its own
// (service-runner.ts) and judges what it saw (service-findings.ts). These are the shapes they
// share: what the generated suite holds, what the test asks the child, what the child answers.
import type { AppPlan, NodeId, NodePlan } from "../api/plan.ts";
import type { ShutdownReason } from "../api/types.ts";
import { findUserFrames } from "../engine/call-site.ts";

/** What a generated `services.test.ts` holds: data only, paths relative to the suite itself. */
export interface ServiceSuite {
  readonly app: string;
  /** The generation of the set: a plan.ts from another compile is refused. */
  readonly generation: string;
  /** The suite's own `import.meta.url`: the paths below are relative to it. */
  readonly suiteUrl: string;
  /** The spec's directory ("../"): exec services run from it, and the fixtures module is looked for in it. */
  readonly specDir: string;
  /** Every module service's module, by service id, as main.ts imports it ("../services/db.js"). */
  readonly modules: Readonly<Record<NodeId, string>>;
}

/** The fixtures module beside the spec, tried in this order. */
export const FIXTURES_FILES = ["services.fixtures.ts", "services.fixtures.mts", "services.fixtures.js", "services.fixtures.mjs"] as const;

/** What the test asks one runner: start `service` with what it needs, stop it, report. */
export interface RunnerRequest {
  readonly plan: AppPlan;
  readonly service: NodeId;
  /** Module URLs (absolute) of the services this run starts for real, by id. */
  readonly modules: Readonly<Record<NodeId, string>>;
  readonly specDirUrl: string;
  /** The fixtures module, when there is one. */
  readonly fixturesUrl: string | undefined;
}

/** An error as plain data (it crosses a process boundary). */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly stack: readonly string[];
}

export interface TaskInfo {
  readonly name: string;
  /** The scope that owns it: the service's id, or a child scope's ("api/request"). */
  readonly scope: string;
  /** Where `go` was called (user frames, innermost first). */
  readonly stack: readonly string[];
  readonly settled: boolean;
}

export interface FinalizerInfo {
  /** Where `defer` was called. */
  readonly stack: readonly string[];
  readonly ran: boolean;
  /** It ran and its promise settled, resolved or not. */
  readonly finished: boolean;
  readonly error: ErrorInfo | undefined;
}

export interface ResourceInfo {
  /** A readable kind: "server", "interval (setInterval)", "listener on process 'SIGTERM'". */
  readonly kind: string;
  readonly stack: readonly string[];
  /** Created after the service had stopped: code of it still ran (floating work). */
  readonly afterStop: boolean;
}

/** Messages from the runner, in order: ready, started, stopping, ticks, stopped, result. */
export type RunnerMessage =
  | { readonly type: "ready" }
  | { readonly type: "started" }
  /** The stop begins: the tasks still running at that moment, in case the loop starves next. */
  | { readonly type: "stopping"; readonly tasks: readonly TaskInfo[] }
  | { readonly type: "tick" }
  /** A finalizer of the service begins (where it was registered). */
  | { readonly type: "finalizing"; readonly stack: readonly string[] }
  | { readonly type: "stopped"; readonly state: string }
  /** A second run begins, stopped during the service's start. */
  | { readonly type: "restart" }
  | { readonly type: "result"; readonly result: RunnerResult };

export interface RunnerResult {
  readonly service: NodeId;
  /** Why the run could not start at all (a module that does not load, a bad fixtures module). */
  readonly setupError: ErrorInfo | undefined;
  /** "fixtures" when the service ran with the doubles of the fixtures module. */
  readonly deps: "real" | "fixtures" | "none";
  readonly exitCode: number;
  /** The service's final state in the report: "stopped", "abandoned", "failed", "never-started", ... */
  readonly state: string;
  readonly stopTimeoutMs: number;
  /** For a program (`exec`): the signal its stop sends. */
  readonly stopSignal: string | undefined;
  readonly stopMs: number | undefined;
  readonly startError: ErrorInfo | undefined;
  /** Crashes while it ran (a task that rejected, an error attributed to it). */
  readonly crashes: readonly { readonly task: string; readonly error: ErrorInfo }[];
  /** Errors of its stop other than its finalizers' (a task that rejected once stopping, ...). */
  readonly stopErrors: readonly ErrorInfo[];
  readonly tasks: readonly TaskInfo[];
  readonly finalizers: readonly FinalizerInfo[];
  /** Its signal: whether it was aborted with the reason its stop was given. */
  readonly signal: { readonly aborted: boolean; readonly reason: ShutdownReason | undefined; readonly expected: ShutdownReason | undefined };
  readonly leftOpen: readonly ResourceInfo[];
  /** What it left open when stopped during its start (a second run), beyond what the first run left. */
  readonly leftOpenByCancelledStart: ResourceInfo[];
  /** AbortControllers it created that were never aborted. */
  readonly controllers: readonly { readonly stack: readonly string[] }[];
  readonly unhandled: readonly { readonly origin: string; readonly service: string | undefined; readonly error: ErrorInfo }[];
  /** Dependencies that failed to start or stop, by id. */
  readonly dependencyProblems: readonly { readonly id: string; readonly state: string; readonly error: ErrorInfo | undefined }[];
}

/** Any thrown value as plain data. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    // Where the user's code was, not the runtime's (a program's end is described by the runtime).
    return { name: error.name, message: error.message, stack: findUserFrames(error.stack !== undefined ? { stack: error.stack } : {}) };
  }
  return { name: typeof error, message: String(error), stack: [] };
}

/** The services `id` needs, directly or not: a needed supervisor brings all of its services. */
/** Every node of the plan by id, and the supervisor each child sits in. */
export function indexPlanNodes(plan: AppPlan): { byId: Map<string, NodePlan>; parentOf: Map<string, NodePlan> } {
  const byId = new Map<string, NodePlan>();
  const parentOf = new Map<string, NodePlan>();
  const stack: NodePlan[] = [plan.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    byId.set(node.id, node);
    if (node.kind === "supervisor") for (const child of node.children) parentOf.set(child.id, node), stack.push(child);
  }
  return { byId, parentOf };
}

export function collectNeeded(plan: AppPlan, id: string): Set<string> {
  const { byId, parentOf } = indexPlanNodes(plan);
  // A node's needs are its own and those of the supervisors around it (they reach its deps).
  const needsOf = (nodeId: string): string[] => {
    const targets: string[] = [];
    for (let n = byId.get(nodeId); n !== undefined; n = parentOf.get(n.id)) targets.push(...n.needs.map((d) => d.target));
    return targets;
  };
  const needed = new Set<string>();
  const todo = needsOf(id);
  while (todo.length > 0) {
    const node = byId.get(todo.pop()!);
    if (node === undefined || needed.has(node.id)) continue;
    needed.add(node.id);
    if (node.kind === "supervisor") todo.push(...node.children.map((c) => c.id), ...needsOf(node.id));
    else todo.push(...needsOf(node.id));
  }
  return new Set([...needed].filter((n) => byId.get(n)?.kind === "service"));
}

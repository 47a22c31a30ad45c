// The report taken when the app has stopped: each node's final state and what it left behind.
import type { NodeReport, NodeState, ReadinessReport, ShutdownReport } from "../api/events.ts";
import type { NodeRt } from "./node-state.ts";
import type { PlanIndex } from "./plan-index.ts";
import type { ShutdownReason } from "../api/types.ts";

export interface ReportContext {
  readonly exitCode: number;
  readonly cause: ShutdownReason | undefined;
  readonly forcedBy: string | undefined;
  readonly durationMs: number;
  readonly leftOpen: Readonly<Record<string, number>> | undefined;
  readonly blocked?: ShutdownReport["blocked"];
  readonly readiness?: ReadinessReport;
}

function findServiceState(node: NodeRt): NodeState {
  const instance = node.instance;
  if (instance === undefined) return "never-started";
  if (instance.abandoned !== undefined) return "abandoned";
  if (instance.failed) return "failed";
  return instance.phase === "done" ? "stopped" : "running";
}

/** A supervisor's own fate first (gave up, overran its budget), else the worst of its children. */
function findSupervisorState(node: NodeRt, childStates: readonly NodeState[]): NodeState {
  if (node.gaveUp) return "failed";
  if (node.overranBudgetMs !== undefined) return "abandoned";
  if (childStates.length === 0) return node.starts > 0 ? "stopped" : "never-started";
  for (const state of ["running", "abandoned", "failed"] as const) if (childStates.includes(state)) return state;
  return childStates.every((s) => s === "never-started") ? "never-started" : "stopped";
}

/** Shared by every node with nothing to list (most of them): frozen, so nobody can add to it. */
const NONE: readonly never[] = Object.freeze([]);

export function buildReport(index: PlanIndex, context: ReportContext): ShutdownReport {
  // By node index (declaration order). Children come after their parent, so walk it backwards.
  const states: NodeState[] = new Array<NodeState>(index.nodes.length);
  for (let i = index.nodes.length - 1; i >= 0; i--) {
    const node = index.nodes[i]!;
    states[i] = node.isService ? findServiceState(node) : findSupervisorState(node, node.children.map((c) => states[c.index]!));
  }
  const nodes: NodeReport[] = index.nodes.map((node) => {
    const instance = node.instance;
    const abandoned = instance?.abandoned;
    const live = instance !== undefined && !instance.isFinished;
    return {
      id: node.id,
      kind: node.isService ? "service" : "supervisor",
      state: states[node.index]!,
      starts: node.starts,
      restarts: node.restarts,
      startMs: node.startMs,
      stopMs: node.stopMs,
      stopReason: instance?.stopReason,
      budgetMs: abandoned?.budgetMs ?? node.overranBudgetMs,
      budget: abandoned?.budget ?? (node.overranBudgetMs === undefined ? undefined : { kind: "supervisor-stop-timeout", supervisor: node.id }),
      pendingTasks: abandoned?.pendingTasks ?? (live ? instance.scope.pendingTasks() : NONE),
      pendingFinalizers: abandoned?.pendingFinalizers ?? (live ? instance.scope.pendingFinalizers() : 0),
      errors: node.errors.length === 0 ? NONE : [...node.errors],
      errorsDropped: node.errorsDropped,
    };
  });
  // The services by state, in declaration order, in one pass.
  const byState: Record<NodeState, string[]> = { stopped: [], abandoned: [], failed: [], running: [], "never-started": [] };
  for (const n of nodes) if (n.kind === "service") byState[n.state].push(n.id);
  return {
    app: index.plan.name,
    exitCode: context.exitCode,
    cause: context.cause,
    forcedBy: context.forcedBy,
    durationMs: context.durationMs,
    nodes,
    stopped: byState.stopped,
    abandoned: byState.abandoned,
    failed: byState.failed,
    running: byState.running,
    neverStarted: byState["never-started"],
    leftOpen: context.leftOpen,
    ...(context.blocked === undefined ? {} : { blocked: context.blocked }),
    ...(context.readiness !== undefined ? { readiness: context.readiness } : {}),
  };
}

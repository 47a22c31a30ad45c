// The shutdown and restart contract a spec promises, as data for its generated test suite. Every
// expected value is derived here from the spec (not read back from the plan at test time), so a
// runtime that starts, orders, restarts or times things wrongly fails the generated tests.
import type { NodeId, ResolvedApp, ResolvedNode, ResolvedService } from "./model.ts";
import { ancestorsOf, computeShutdownTiming, indexNodes, servicesIn, type ShutdownTiming } from "./timing.ts";
import { collectNodes } from "./emit-model.ts";
import { buildRestartContract, type CrashLoopCase, type RestartCase } from "./emit-restart-contract.ts";

export interface Contract {
  readonly app: string;
  readonly graceMs: number;
  readonly signals: readonly string[];
  readonly services: readonly NodeId[];
  /** [service, dependency]: the dependency (a service) has started before the service starts. */
  readonly startEdges: readonly (readonly [NodeId, NodeId])[];
  /** [service, blocker]: the blocker (a service) has stopped before the service begins to stop. */
  readonly stopEdges: readonly (readonly [NodeId, NodeId])[];
  /** Per service: how long after the signal it is abandoned when it alone hangs on stop. */
  readonly hungStopMs: Readonly<Record<NodeId, number>>;
  readonly startTimeoutMs: Readonly<Record<NodeId, number>>;
  /** Per service: the services that must never start when it fails to start. */
  readonly dependents: Readonly<Record<NodeId, readonly NodeId[]>>;
  /** When every service hangs on stop: the exit time after the signal (grace caps it). */
  readonly allHungExitMs: number;
  /** The end of the critical path: the service still stopping when that exit happens. */
  readonly lastToStop: NodeId;
  /** Per supervisor, a permanent child crashing once: what its strategy restarts (emit-restart-contract.ts). */
  readonly restarts: readonly RestartCase[];
  /** The same children crashing in a loop: who gives up, in turn, up to the app. */
  readonly crashLoops: readonly CrashLoopCase[];
}

export function buildContract(app: ResolvedApp): Contract {
  const index = indexNodes(app);
  const nodes = collectNodes(app.root);
  const services = nodes.filter((n): n is ResolvedService => n.kind === "service");
  const leavesOf = (id: NodeId): NodeId[] => servicesIn(index.get(id)!.node);
  const withAncestors = (node: ResolvedNode): ResolvedNode[] => [node, ...ancestorsOf(index, node.id)];

  const startEdges = services.flatMap((s) =>
    unique(withAncestors(s).flatMap((n) => n.startAfter.flatMap(leavesOf))).map((dep) => [s.id, dep] as const),
  );
  const stopEdges = services.flatMap((s) =>
    unique(withAncestors(s).flatMap((n) => n.stopAfter.flatMap(leavesOf))).map((blocker) => [s.id, blocker] as const),
  );
  const timing = computeShutdownTiming(app);
  const hungStopMs: Record<NodeId, number> = {};
  for (const s of services) {
    const budgets = [s.stopTimeoutMs, ...ancestorsOf(index, s.id).map((a) => a.stopTimeoutMs), app.graceMs];
    hungStopMs[s.id] = Math.min(...budgets);
  }
  return {
    app: app.name,
    graceMs: app.graceMs,
    signals: [...app.signals],
    services: services.map((s) => s.id),
    startEdges,
    stopEdges,
    hungStopMs,
    startTimeoutMs: Object.fromEntries(services.map((s) => [s.id, s.startTimeoutMs])),
    dependents: transitiveDependents(services, startEdges),
    allHungExitMs: timing.totalMs,
    lastToStop: lastInFlight(services, timing),
    ...buildRestartContract(app),
  };
}

/** A service still stopping when the all-hung shutdown ends: the report must name it. */
function lastInFlight(services: readonly ResolvedService[], timing: ShutdownTiming): NodeId {
  const inFlight = services.find((s) => {
    const t = timing.nodes.get(s.id)!;
    return t.finishMs === timing.totalMs && t.beginMs < timing.totalMs;
  });
  return inFlight?.id ?? "";
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * Per service, the services that (directly or through others) cannot start before it has
 * started. The reverse edges are indexed once for all services: rebuilding them per service
 * made this quadratic (35 s of a 10k-service compile, see docs/benchmarks.md).
 */
function transitiveDependents(
  services: readonly ResolvedService[],
  startEdges: readonly (readonly [NodeId, NodeId])[],
): Record<NodeId, NodeId[]> {
  const dependentsOf = new Map<NodeId, NodeId[]>();
  for (const [service, dep] of startEdges) {
    const list = dependentsOf.get(dep);
    if (list === undefined) dependentsOf.set(dep, [service]);
    else list.push(service);
  }
  const result: Record<NodeId, NodeId[]> = {};
  for (const { id } of services) {
    const found = new Set<NodeId>();
    const queue = [id];
    for (let head = 0; head < queue.length; head++) {
      for (const next of dependentsOf.get(queue[head]!) ?? []) {
        if (!found.has(next)) {
          found.add(next);
          queue.push(next);
        }
      }
    }
    result[id] = [...found].sort();
  }
  return result;
}

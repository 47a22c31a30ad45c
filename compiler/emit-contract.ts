// The shutdown and restart contract a spec promises, as data for its generated test suite. Every
// expected value is derived here from the spec (not read back from the plan at test time), so a
// runtime that starts, orders, restarts or times things wrongly fails the generated tests.
import type { NodeId, ResolvedApp, ResolvedService } from "./model.ts";
import { computeShutdownTiming, indexNodes, nodesInOrder, servicesIn, type Indexed, type ShutdownTiming } from "./timing.ts";
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
  const nodes = nodesInOrder(app);
  const services = nodes.filter((n): n is ResolvedService => n.kind === "service");
  // Both derived once per node and shared by every service below it.
  const leaves = new Map<NodeId, readonly NodeId[]>();
  const leavesOf = (id: NodeId): readonly NodeId[] => {
    let ids = leaves.get(id);
    if (ids === undefined) leaves.set(id, (ids = servicesIn(index.get(id)!.node)));
    return ids;
  };
  const edgesOf = (s: ResolvedService, field: "startAfter" | "stopAfter"): (readonly [NodeId, NodeId])[] => {
    const found = new Set<NodeId>();
    for (let entry: Indexed | undefined = index.get(s.id); entry !== undefined; entry = entry.parent && index.get(entry.parent.id)) {
      for (const target of entry.node[field]) for (const leaf of leavesOf(target)) found.add(leaf);
    }
    return Array.from(found, (other) => [s.id, other] as const);
  };

  const startEdges = services.flatMap((s) => edgesOf(s, "startAfter"));
  const stopEdges = services.flatMap((s) => edgesOf(s, "stopAfter"));
  const timing = computeShutdownTiming(app);
  // The tightest budget over a node and its ancestors, the grace included (nodes are in preorder).
  const budget = new Map<NodeId, number>();
  for (const node of nodes) {
    const parent = index.get(node.id)!.parent;
    budget.set(node.id, Math.min(node.stopTimeoutMs, parent ? budget.get(parent.id)! : app.graceMs));
  }
  const hungStopMs: Record<NodeId, number> = {};
  for (const s of services) hungStopMs[s.id] = budget.get(s.id)!;
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

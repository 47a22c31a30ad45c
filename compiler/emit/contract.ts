// The shutdown and restart contract a spec promises, as data for its generated test suite (its
// shape, `Contract`, is defined in runtime/testing/contract.ts). Every expected value is derived
// here from the spec (not read back from the plan at test time), so a runtime that starts,
// orders, restarts or times things wrongly fails the generated tests.
import type { NodeId, ResolvedApp, ResolvedService } from "../model/model.ts";
import { nodeTable, type NodeTable } from "../model/node-table.ts";
import { computeShutdownTiming, type ShutdownTiming } from "../model/timing.ts";
import { buildRestartContract } from "./restart-contract.ts";
import { expandReplicas } from "./replica-contract.ts";
// The contract's shape is the one the generated suite checks against: defined once, by the runtime.
import type { Contract } from "../../runtime/testing/contract.ts";

export function buildContract(app: ResolvedApp): Contract {
  return expandReplicas(buildNodeContract(app), app);
}

/** The contract with one entry per spec node (a service with replicas still one). */
function buildNodeContract(app: ResolvedApp): Contract {
  const table = nodeTable(app);
  const idAt = (position: number): NodeId => table.ids[position]!;
  // Services by table position, in declaration order.
  const services: number[] = [];
  for (let i = 0; i < table.size; i++) if (table.nodes[i]!.kind === "service") services.push(i);
  const leaves = new LeafIndex(table);
  const timing = computeShutdownTiming(app);
  // The tightest budget over a node and its ancestors, the grace left after the drain included
  // (parents come first). Figures count from the signal, so the drain comes first.
  const drainMs = app.drainMs;
  const budget = new Float64Array(table.size);
  table.nodes.forEach((node, i) => {
    const parent = table.parent[i]!;
    budget[i] = Math.min(node.stopTimeoutMs, parent >= 0 ? budget[parent]! : app.graceMs - drainMs);
  });
  // Built from entries: assigning `record["__proto__"]` would set a prototype, not a service's entry.
  const hungStopMs: Record<NodeId, number> = Object.fromEntries(services.map((s) => [idAt(s), drainMs + budget[s]!]));
  const startTimeoutMs: Record<NodeId, number> = Object.fromEntries(services.map((s) => [idAt(s), (table.nodes[s] as ResolvedService).startTimeoutMs]));
  return {
    app: app.name,
    graceMs: app.graceMs,
    signals: [...app.signals],
    services: services.map(idAt),
    startEdges: leaves.edges(services, "startAfter"),
    stopEdges: leaves.edges(services, "stopAfter"),
    hungStopMs,
    startTimeoutMs,
    allHungExitMs: drainMs + timing.totalMs,
    ...(drainMs > 0 ? { drainMs } : {}),
    lastToStop: lastInFlight(table, services, timing),
    supervisorStops: findSupervisorBound(table, services, budget, app.graceMs),
    ...buildRestartContract(app),
    // Left out when not written, so that specs without it keep their contracts.
    ...(app.reloadSignal !== undefined ? { reloadSignal: app.reloadSignal } : {}),
  };
}

/**
 * The leaf services every edge of a service expands to: a need or a stop-after on a supervisor
 * is one on each service inside it, and a service inherits those of its ancestors. Leaves are
 * listed once per node, and repeats within one service's list are dropped with a stamp per
 * position rather than a set per service. The edges go straight into the contract's list, with
 * no list per service in between, and the loops are indexed: they run once, cold, per service,
 * where a for-of allocates an iterator result per step.
 */
class LeafIndex {
  private readonly leaves: (readonly number[] | undefined)[] = [];
  private readonly stamp: Int32Array;
  private round = 0;

  constructor(private readonly table: NodeTable) {
    this.stamp = new Int32Array(table.size);
  }

  /**
   * Each service's edges to the leaves behind its (and its ancestors') `field`: services in
   * order, each one's leaves in first-found order.
   */
  edges(services: readonly number[], field: "startAfter" | "stopAfter"): (readonly [NodeId, NodeId])[] {
    const { ids, parent } = this.table;
    const positions = this.table.orderPositions(field);
    const edges: (readonly [NodeId, NodeId])[] = [];
    for (let k = 0; k < services.length; k++) {
      const service = services[k]!;
      const round = ++this.round;
      for (let at = service; at >= 0; at = parent[at]!) {
        const targets = positions[at]!;
        for (let t = 0; t < targets.length; t++) {
          const leaves = this.leavesAt(targets[t]!);
          for (let l = 0; l < leaves.length; l++) {
            const leaf = leaves[l]!;
            if (this.stamp[leaf] === round) continue;
            this.stamp[leaf] = round;
            edges.push([ids[service]!, ids[leaf]!]);
          }
        }
      }
    }
    return edges;
  }

  private leavesAt(position: number): readonly number[] {
    let leaves = this.leaves[position];
    if (leaves === undefined) {
      const found: number[] = [];
      for (let i = position; i < this.table.subtreeEnd[position]!; i++) if (this.table.nodes[i]!.kind === "service") found.push(i);
      this.leaves[position] = leaves = found;
    }
    return leaves;
  }
}

/** The first service whose supervisors (the app excluded) bound its stop tighter than the grace. */
function findSupervisorBound(table: NodeTable, services: readonly number[], budget: Float64Array, graceMs: number): Contract["supervisorStops"] {
  for (const s of services) {
    const parent = table.parent[s]!;
    if (parent > 0 && budget[parent]! < graceMs) return [{ service: table.ids[s]!, budgetMs: budget[parent]! }];
  }
  return [];
}

/** A service still stopping when the all-hung shutdown ends: the report must name it. */
function lastInFlight(table: NodeTable, services: readonly number[], timing: ShutdownTiming): NodeId {
  const { capped } = timing;
  const inFlight = services.find((s) => capped.finishAt(s) === timing.totalMs && capped.beginAt(s) < timing.totalMs);
  return inFlight !== undefined ? table.ids[inFlight]! : "";
}
